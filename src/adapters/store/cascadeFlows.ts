/**
 * Part of the results format: a cascade report reduced to what a picture of it needs: per round, the
 * totals, market prices and oracle reports, and
 * the liquidations grouped by protocol, seized collateral asset and repaid debt asset. Small
 * (rounds × protocols × asset pairs), so every scenario's flows travel with the results; the
 * dashboard draws them as flows between protocols and assets, round by round.
 */
import type { CascadeReport } from "../../core/report/cascadeReport.js";
import { type CascadeFlow, createFlowGroups } from "../../core/report/flowGroups.js";

export type { CascadeFlow } from "../../core/report/flowGroups.js";

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

/** The flows of a report's liquidation records: each record fed to the core's grouping, in report order. */
export function flowsOfRecords(report: CascadeReport): CascadeFlow[] {
  // Asset and protocol indices as met; an asset without a snapshot price is priced 0.
  const assetIds = Object.keys(report.initialPrices);
  const priceUsd = Object.values(report.initialPrices);
  const assetIndex = new Map(assetIds.map((id, a) => [id, a] as const));
  const protocolNames: string[] = [];
  const protocolIndex = new Map<string, number>();
  const indexOf = (id: string): number => {
    let a = assetIndex.get(id);
    if (a === undefined) {
      a = assetIds.length;
      assetIds.push(id);
      priceUsd.push(0);
      assetIndex.set(id, a);
    }
    return a;
  };
  const groups = createFlowGroups(priceUsd);
  for (const l of report.liquidations) {
    for (const id in l.seized) groups.collateral(indexOf(id), l.seized[id]!);
    for (const id in l.repaid) groups.debt(indexOf(id), l.repaid[id]!);
    let protocol = protocolIndex.get(l.protocol);
    if (protocol === undefined) {
      protocol = protocolNames.length;
      protocolNames.push(l.protocol);
      protocolIndex.set(l.protocol, protocol);
    }
    groups.liquidation(l.round, protocol, l.seizedUsd, l.repaidUsd, l.badDebtUsd, l.crossProtocol);
  }
  return groups.flows(assetIds, protocolNames);
}

/**
 * The cascade flows of `report`: its rounds and prices, with `flows` the grouping of its
 * liquidations (from its records by default; a run without records gives them itself).
 */
export function cascadeFlows(
  report: CascadeReport,
  flows: readonly CascadeFlow[] = flowsOfRecords(report),
): CascadeFlows {
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
