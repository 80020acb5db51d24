/**
 * Replay of a price path: a sequence of timestamped prices per asset applied step by step as
 * exogenous moves, the cascade running after each (cascade-model.md section 4 per step).
 *
 * - Step `t` moves each listed asset by `p_t / p_{t-1} - 1` from where the previous step left
 *   it, so a historical crash can be applied to today's book at today's prices; the first row
 *   is the path's start and moves nothing. Assets the path does not list move only as followers.
 * - Between steps, the book carries over: every liquidation's seizure and repayment, positions
 *   written off with bad debt removed, each asset at the price the step ended at. Pools are
 *   re-centred there keeping their snapshot depth (constant-product `k`; `depth` and
 *   concentrated ranges as given; a deviation oracle starts again from the market price):
 *   time passes between rows and arbitrage refills them, which one simulation leaves out.
 */
import { compileBook } from "../book/compileBook.js";
import { UserInputError } from "../errors.js";
import { simulate } from "../propagator/simulate.js";
import type { CascadeReport } from "../report/cascadeReport.js";
import type { AssetData, PositionData } from "../snapshot/schema.js";
import type { Snapshot } from "../snapshot/snapshot.js";
import { strandedDebtUsdOf } from "./pathMeasures.js";

export interface PricePath {
  readonly assets: readonly string[];
  /** One row per step: a timestamp and a price (USD) per asset of `assets`. */
  readonly steps: ReadonlyArray<{ readonly timestamp: string; readonly pricesUsd: readonly number[] }>;
}

export interface ReplayStep {
  readonly timestamp: string;
  readonly shock: Readonly<Record<string, number>>;
  readonly liquidations: number;
  readonly repaidUsd: number;
  readonly badDebtUsd: number;
  readonly strandedDebtUsd: number;
  readonly rounds: number;
  readonly crossProtocolLiquidations: number;
  /** Every asset's price when the step's cascade ends. */
  readonly prices: Readonly<Record<string, number>>;
}

export interface PricePathReplay {
  readonly steps: readonly ReplayStep[];
  readonly totals: {
    readonly liquidations: number;
    readonly repaidUsd: number;
    readonly badDebtUsd: number;
    /** Stranded debt at the end of the last step. */
    readonly strandedDebtUsd: number;
    readonly positionsLeft: number;
  };
}

const key = (market: string, account: string) => `${market}\u0000${account}`;

/** The book after `report`'s liquidations, at its final prices. */
export function carryOver(snapshot: Snapshot, report: CascadeReport): Snapshot {
  const changes = new Map<
    string,
    { seized: Record<string, number>; repaid: Record<string, number>; writtenOff: boolean }
  >();
  for (const l of report.liquidations) {
    const k = key(l.market, l.account);
    const c = changes.get(k) ?? { seized: {}, repaid: {}, writtenOff: false };
    for (const [a, v] of Object.entries(l.seized)) c.seized[a] = (c.seized[a] ?? 0) + v;
    for (const [a, v] of Object.entries(l.repaid)) c.repaid[a] = (c.repaid[a] ?? 0) + v;
    if (l.badDebtUsd > 0) c.writtenOff = true;
    changes.set(k, c);
  }
  const positions: PositionData[] = [];
  for (const p of snapshot.positions) {
    const c = changes.get(key(p.market, p.account));
    if (c === undefined) {
      positions.push(p);
      continue;
    }
    if (c.writtenOff) continue;
    const less = (amounts: Readonly<Record<string, number>>, minus: Readonly<Record<string, number>>) =>
      Object.fromEntries(Object.entries(amounts).map(([a, v]) => [a, Math.max(0, v - (minus[a] ?? 0))]));
    const debt = less(p.debt, c.repaid);
    if (Object.values(debt).every((d) => d <= 0)) continue; // closed in full
    positions.push({ ...p, collateral: less(p.collateral, c.seized), debt });
  }
  const priceOf = (id: string) =>
    report.finalPrices[id] ?? snapshot.assets.find((a) => a.id === id)?.priceUsd ?? 1;
  const assets = snapshot.assets.map((a): AssetData => {
    const priceUsd = priceOf(a.id);
    if (a.liquidity.kind !== "pool") return { ...a, priceUsd };
    const { reserveAsset, reserveQuote, reserveUsd, ...rest } = a.liquidity;
    const y = reserveQuote ?? reserveUsd ?? 0;
    const k = reserveAsset * y;
    // The pool price is in units of the quote asset (USD when none).
    const poolPrice = priceUsd / (a.liquidity.quote === undefined ? 1 : priceOf(a.liquidity.quote));
    return {
      ...a,
      priceUsd,
      liquidity: { ...rest, reserveAsset: Math.sqrt(k / poolPrice), reserveQuote: Math.sqrt(k * poolPrice) },
    };
  });
  // A deviation feed's last report is not in the report: it starts again from the market price.
  const oracles = Object.fromEntries(
    Object.entries(snapshot.oracles).map(([id, o]) => {
      if (o.kind !== "market") return [id, o];
      const { reportedUsd: _reported, ...rest } = o;
      return [id, rest];
    }),
  );
  return { ...snapshot, assets, oracles, positions };
}

/** @throws UserInputError for an asset the snapshot does not list or a price that is not above 0. */
export function replayPricePath(
  snapshot: Snapshot,
  path: PricePath,
  options: { readonly maxRounds?: number } = {},
): PricePathReplay {
  const listed = new Set(snapshot.assets.map((a) => a.id));
  for (const a of path.assets)
    if (!listed.has(a))
      throw new UserInputError(
        `price path asset "${a}" is not in the snapshot (assets: ${[...listed].join(", ")})`,
      );
  path.steps.forEach((s, t) => {
    if (s.pricesUsd.length !== path.assets.length || !s.pricesUsd.every((p) => Number.isFinite(p) && p > 0))
      throw new UserInputError(`price path step ${t} (${s.timestamp}): every price must be a number above 0`);
  });
  let state = snapshot;
  const steps: ReplayStep[] = [];
  let last: CascadeReport | undefined;
  for (let t = 1; t < path.steps.length; t++) {
    const before = path.steps[t - 1]!.pricesUsd;
    const now = path.steps[t]!.pricesUsd;
    const shock: Record<string, number> = {};
    path.assets.forEach((a, i) => {
      shock[a] = now[i]! / before[i]! - 1;
    });
    const report = simulate(
      compileBook(state),
      shock,
      options.maxRounds === undefined ? {} : { maxRounds: options.maxRounds },
    );
    steps.push({
      timestamp: path.steps[t]!.timestamp,
      shock,
      liquidations: report.totals.liquidations,
      repaidUsd: report.totals.repaidUsd,
      badDebtUsd: report.totals.badDebtUsd,
      strandedDebtUsd: strandedDebtUsdOf(report.totals),
      rounds: report.rounds.filter((r) => r.liquidations > 0).length,
      crossProtocolLiquidations: report.liquidations.filter((l) => l.crossProtocol).length,
      prices: report.finalPrices,
    });
    state = carryOver(state, report);
    last = report;
  }
  return {
    steps,
    totals: {
      liquidations: steps.reduce((s, x) => s + x.liquidations, 0),
      repaidUsd: steps.reduce((s, x) => s + x.repaidUsd, 0),
      badDebtUsd: steps.reduce((s, x) => s + x.badDebtUsd, 0),
      strandedDebtUsd: last === undefined ? 0 : strandedDebtUsdOf(last.totals),
      positionsLeft: state.positions.length,
    },
  };
}
