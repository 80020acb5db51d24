/**
 * What drives a cascade (systemic importance): for one scenario, the bad debt and liquidated
 * debt of the whole book without each of the top-K candidate positions (the largest liquidated
 * debt in the scenario), and without each market, ranked by how much they remove; for a
 * position, the share of the liquidations it causes elsewhere that falls in other protocols.
 * Per asset, the collateral the scenario's liquidations sold of it and its price impact.
 */
import type { Book } from "../book/book.js";
import { compileBook } from "../book/compileBook.js";
import { simulate } from "../propagator/simulate.js";
import type { CascadeReport } from "../report/cascadeReport.js";
import type { Snapshot } from "../snapshot/snapshot.js";

export interface DriverEffect {
  readonly market: string;
  /** Absent for a whole market. */
  readonly account?: string;
  readonly protocol: string;
  /** The removed positions' own liquidated and bad debt in the scenario. */
  readonly ownLiquidatedDebtUsd: number;
  readonly ownBadDebtUsd: number;
  /** The book's totals without them. */
  readonly liquidatedDebtUsd: number;
  readonly badDebtUsd: number;
  /** Baseline minus the totals without them. */
  readonly liquidatedDebtReductionUsd: number;
  readonly badDebtReductionUsd: number;
  /** Liquidated debt of the other positions that goes away with them (what they cascade into). */
  readonly othersLiquidatedDebtReductionUsd: number;
  /** Share of `othersLiquidatedDebtReductionUsd` in other protocols than theirs; null when nothing goes away. */
  readonly crossProtocolShare: number | null;
}

export interface AssetDriver {
  readonly asset: string;
  /** Collateral of this asset the liquidations seized, valued at snapshot prices. */
  readonly seizedUsd: number;
  /** Final price over initial, minus 1. */
  readonly priceChange: number;
}

export interface CascadeDrivers {
  readonly shock: Readonly<Record<string, number>>;
  readonly baseline: {
    readonly liquidatedDebtUsd: number;
    readonly badDebtUsd: number;
    readonly liquidations: number;
  };
  /** Ranked by bad-debt reduction, then liquidated-debt reduction, descending. */
  readonly positions: readonly DriverEffect[];
  readonly markets: readonly DriverEffect[];
  /** By seized USD, descending. */
  readonly assets: readonly AssetDriver[];
}

export interface CascadeDriversOptions {
  /** Candidate positions (default 10). */
  readonly topPositions?: number;
  readonly maxRounds?: number;
}

interface Losses {
  liquidated: number;
  bad: number;
  byProtocol: Map<string, number>;
}

const positionKey = (market: string, account: string) => `${market}\u0000${account}`;

function lossesOf(report: CascadeReport, exclude: (market: string, account: string) => boolean): Losses {
  const out: Losses = { liquidated: 0, bad: 0, byProtocol: new Map() };
  for (const l of report.liquidations) {
    if (exclude(l.market, l.account)) continue;
    out.liquidated += l.repaidUsd;
    out.bad += l.badDebtUsd;
    out.byProtocol.set(l.protocol, (out.byProtocol.get(l.protocol) ?? 0) + l.repaidUsd);
  }
  return out;
}

const byEffect = (a: DriverEffect, b: DriverEffect): number =>
  b.badDebtReductionUsd - a.badDebtReductionUsd ||
  b.liquidatedDebtReductionUsd - a.liquidatedDebtReductionUsd ||
  (a.market < b.market ? -1 : a.market > b.market ? 1 : 0) ||
  ((a.account ?? "") < (b.account ?? "") ? -1 : 1);

/** @throws UserInputError for a bad shock or maxRounds. */
export function cascadeDrivers(
  snapshot: Snapshot,
  shock: Readonly<Record<string, number>>,
  options: CascadeDriversOptions = {},
  book: Book = compileBook(snapshot),
): CascadeDrivers {
  const run = (b: Book) =>
    simulate(b, shock, options.maxRounds === undefined ? {} : { maxRounds: options.maxRounds });
  const baseline = run(book);
  const protocolOf = new Map(snapshot.markets.map((m) => [m.id, m.protocol as string] as const));
  const own = new Map<string, { market: string; account: string; liquidated: number; bad: number }>();
  for (const l of baseline.liquidations) {
    const key = positionKey(l.market, l.account);
    const o = own.get(key) ?? { market: l.market, account: l.account, liquidated: 0, bad: 0 };
    o.liquidated += l.repaidUsd;
    o.bad += l.badDebtUsd;
    own.set(key, o);
  }
  const effect = (
    market: string,
    account: string | undefined,
    removed: (market: string, account: string) => boolean,
  ): DriverEffect => {
    const without = run(
      compileBook({
        ...snapshot,
        positions: snapshot.positions.filter((p) => !removed(p.market, p.account)),
      }),
    );
    const mine = lossesOf(baseline, (m, a) => !removed(m, a));
    const others = lossesOf(baseline, removed);
    const after = lossesOf(without, () => false);
    const protocol = protocolOf.get(market) ?? "";
    const othersReduction = others.liquidated - after.liquidated;
    let crossReduction = 0;
    for (const [p, v] of others.byProtocol)
      if (p !== protocol) crossReduction += v - (after.byProtocol.get(p) ?? 0);
    for (const [p, v] of after.byProtocol)
      if (p !== protocol && !others.byProtocol.has(p)) crossReduction -= v;
    return {
      market,
      ...(account === undefined ? {} : { account }),
      protocol,
      ownLiquidatedDebtUsd: mine.liquidated,
      ownBadDebtUsd: mine.bad,
      liquidatedDebtUsd: without.totals.repaidUsd,
      badDebtUsd: without.totals.badDebtUsd,
      liquidatedDebtReductionUsd: baseline.totals.repaidUsd - without.totals.repaidUsd,
      badDebtReductionUsd: baseline.totals.badDebtUsd - without.totals.badDebtUsd,
      othersLiquidatedDebtReductionUsd: othersReduction,
      crossProtocolShare: othersReduction > 1e-9 ? crossReduction / othersReduction : null,
    };
  };
  const candidates = [...own.values()]
    .sort((a, b) => b.liquidated + b.bad - (a.liquidated + a.bad) || (a.market < b.market ? -1 : 1))
    .slice(0, options.topPositions ?? 10);
  const positions = candidates
    .map((c) => effect(c.market, c.account, (m, a) => m === c.market && a === c.account))
    .sort(byEffect);
  const markets = snapshot.markets
    .map((m) => effect(m.id, undefined, (market) => market === m.id))
    .sort(byEffect);
  const seized = new Map<string, number>();
  for (const l of baseline.liquidations)
    for (const [asset, amount] of Object.entries(l.seized))
      seized.set(asset, (seized.get(asset) ?? 0) + amount * baseline.initialPrices[asset]!);
  const assets = [...seized.entries()]
    .map(([asset, seizedUsd]) => ({
      asset,
      seizedUsd,
      priceChange: baseline.finalPrices[asset]! / baseline.initialPrices[asset]! - 1,
    }))
    .sort((a, b) => b.seizedUsd - a.seizedUsd || (a.asset < b.asset ? -1 : 1));
  return {
    shock: { ...shock },
    baseline: {
      liquidatedDebtUsd: baseline.totals.repaidUsd,
      badDebtUsd: baseline.totals.badDebtUsd,
      liquidations: baseline.totals.liquidations,
    },
    positions,
    markets,
    assets,
  };
}
