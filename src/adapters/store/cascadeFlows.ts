/**
 * Part of the results format: a cascade report reduced to what a picture of it needs: per round, the
 * totals, market prices and oracle reports, and
 * the liquidations grouped by protocol, seized collateral asset and repaid debt asset. Small
 * (rounds × protocols × asset pairs), so every scenario's flows travel with the results; the
 * dashboard draws them as flows between protocols and assets, round by round.
 */
import type { CascadeReport } from "../../core/report/cascadeReport.js";

export interface CascadeFlow {
  readonly round: number;
  readonly protocol: string;
  /** Collateral asset seized (and sold). */
  readonly collateral: string;
  /** Debt asset repaid. */
  readonly debt: string;
  /** Liquidations with a share in this group (one that seizes two assets counts in both groups). */
  readonly liquidations: number;
  /** The liquidations' seized USD apportioned to `collateral` by token value at snapshot prices. */
  readonly seizedUsd: number;
  /** The liquidations' repaid USD apportioned to `debt` by token value at snapshot prices. */
  readonly repaidUsd: number;
  readonly badDebtUsd: number;
  /** Liquidations among these whose trigger came from another protocol's sales. */
  readonly crossProtocol: number;
}

export interface CascadeRoundFlows {
  readonly round: number;
  readonly liquidations: number;
  readonly repaidUsd: number;
  readonly soldUsd: number;
  readonly badDebtUsd: number;
  /** Liquidatable positions skipped because liquidating them would not pay, and their debt. */
  readonly unprofitable: number;
  readonly unprofitableDebtUsd: number;
  /** Every asset's market price after the round. */
  readonly prices: Readonly<Record<string, number>>;
  /** The round's oracle reports by oracle id (an asset's own oracle has the asset's id). */
  readonly oraclePrices: Readonly<Record<string, number>>;
}

export interface CascadeFlows {
  readonly shock: Readonly<Record<string, number>>;
  readonly converged: boolean;
  /** Positions still liquidatable but unprofitable when the cascade stops: debt nobody liquidates. */
  readonly stranded: number;
  readonly strandedDebtUsd: number;
  readonly initialPrices: Readonly<Record<string, number>>;
  readonly finalPrices: Readonly<Record<string, number>>;
  readonly rounds: readonly CascadeRoundFlows[];
  /** Sorted by round, protocol, collateral, debt. */
  readonly flows: readonly CascadeFlow[];
}

/** Shares of a token map by value at `prices` (equal shares when nothing is priced). */
function valueShares(
  amounts: Readonly<Record<string, number>>,
  prices: Readonly<Record<string, number>>,
): Array<[string, number]> {
  const entries = Object.entries(amounts).filter(([, amount]) => amount > 0);
  const values = entries.map(([asset, amount]) => amount * (prices[asset] ?? 0));
  const total = values.reduce((sum, v) => sum + v, 0);
  return entries.map(([asset], i) => [asset, total > 0 ? (values[i] ?? 0) / total : 1 / entries.length]);
}

export function cascadeFlows(report: CascadeReport): CascadeFlows {
  type Mutable = { -readonly [K in keyof CascadeFlow]: CascadeFlow[K] };
  const groups = new Map<string, Mutable>();
  for (const l of report.liquidations) {
    const seized = valueShares(l.seized, report.initialPrices);
    const repaid = valueShares(l.repaid, report.initialPrices);
    for (const [collateral, seizedShare] of seized) {
      for (const [debt, repaidShare] of repaid) {
        const key = [l.round, l.protocol, collateral, debt].join("\u0000");
        const g = groups.get(key) ?? {
          round: l.round,
          protocol: l.protocol,
          collateral,
          debt,
          liquidations: 0,
          seizedUsd: 0,
          repaidUsd: 0,
          badDebtUsd: 0,
          crossProtocol: 0,
        };
        const share = seizedShare * repaidShare;
        g.liquidations += 1;
        g.seizedUsd += l.seizedUsd * share;
        g.repaidUsd += l.repaidUsd * share;
        g.badDebtUsd += l.badDebtUsd * share;
        g.crossProtocol += l.crossProtocol ? 1 : 0;
        groups.set(key, g);
      }
    }
  }
  const flows = [...groups.values()].sort(
    (a, b) =>
      a.round - b.round ||
      a.protocol.localeCompare(b.protocol) ||
      a.collateral.localeCompare(b.collateral) ||
      a.debt.localeCompare(b.debt),
  );
  return {
    shock: report.shock,
    converged: report.converged,
    stranded: report.totals.stranded,
    strandedDebtUsd: report.totals.strandedDebtUsd,
    initialPrices: report.initialPrices,
    finalPrices: report.finalPrices,
    rounds: report.rounds.map((r) => ({
      round: r.round,
      liquidations: r.liquidations,
      repaidUsd: r.repaidUsd,
      soldUsd: r.soldUsd,
      badDebtUsd: r.badDebtUsd,
      unprofitable: r.unprofitable,
      unprofitableDebtUsd: r.unprofitableDebtUsd,
      prices: r.prices,
      oraclePrices: r.oraclePrices,
    })),
    flows,
  };
}
