/**
 * Monte Carlo value-at-risk and liquidations-at-risk (`cascade-var/1`): statistics of bad,
 * liquidated and stranded debt over joint shock paths, each simulated through the full cascade;
 * by protocol and by market; the worst paths; and every path's shock and totals, so anyone can
 * re-simulate a path and recompute the percentiles (nearest-rank, see `quantile.ts`).
 */
import type { Book } from "../book/book.js";
import type { CascadeTotals } from "../report/cascadeReport.js";
import { drawShockPaths, type ShockPaths, shockOfPath } from "./drawShockPaths.js";
import { MEASURES, type Measure, measuresOf, type PathOutcome } from "./pathMeasures.js";
import { type LossStatistics, lossStatistics } from "./quantile.js";
import { HOURS_PER_YEAR, type ReturnModel } from "./returnModel.js";
import { simulatePaths } from "./simulatePaths.js";

export const VAR_SCHEMA = "cascade-var/1";
/** Worst paths listed in a report. */
export const WORST_PATHS = 10;

export type MeasureStatistics = Record<Measure, LossStatistics>;

export interface ScopeStatistics {
  readonly liquidatedDebtUsd: LossStatistics;
  readonly badDebtUsd: LossStatistics;
}

export interface WorstPath {
  /** Index in `paths`. */
  readonly path: number;
  readonly shock: Readonly<Record<string, number>>;
  readonly badDebtUsd: number;
  readonly liquidatedDebtUsd: number;
  readonly strandedDebtUsd: number;
}

export interface ValueAtRiskReport extends MeasureStatistics {
  readonly schema: typeof VAR_SCHEMA;
  readonly horizonHours: number;
  readonly seed: number;
  readonly pathCount: number;
  readonly quantile: "nearest-rank";
  readonly model: ReturnModel;
  readonly byProtocol: Readonly<Record<string, ScopeStatistics>>;
  readonly byMarket: Readonly<Record<string, ScopeStatistics>>;
  /** Sorted by bad debt, then liquidated debt, descending; ties by path index. */
  readonly worstPaths: readonly WorstPath[];
  readonly paths: ReadonlyArray<{
    readonly shock: Readonly<Record<string, number>>;
    readonly totals: CascadeTotals;
  }>;
}

export interface ValueAtRiskRun {
  readonly model: ReturnModel;
  readonly horizonHours: number;
  readonly pathCount: number;
  readonly seed: number;
  readonly maxRounds?: number;
}

/** Draws the run's shock paths (the same for the same model, horizon, count and seed). */
export function valueAtRiskPaths(run: ValueAtRiskRun): ShockPaths {
  return drawShockPaths(run.model, run.horizonHours / HOURS_PER_YEAR, run.pathCount, run.seed);
}

/** Statistics of simulated paths (`outcomes[k]` is path `k` of `paths`). */
export function aggregateValueAtRisk(
  run: ValueAtRiskRun,
  paths: ShockPaths,
  outcomes: readonly PathOutcome[],
): ValueAtRiskReport {
  const n = outcomes.length;
  const columns = Object.fromEntries(MEASURES.map((m) => [m, new Float64Array(n)])) as Record<
    Measure,
    Float64Array
  >;
  const protocolColumns = new Map<string, { liquidatedDebtUsd: Float64Array; badDebtUsd: Float64Array }>();
  const marketColumns = new Map<string, { liquidatedDebtUsd: Float64Array; badDebtUsd: Float64Array }>();
  const column = (map: typeof protocolColumns, key: string) => {
    let c = map.get(key);
    if (c === undefined) {
      c = { liquidatedDebtUsd: new Float64Array(n), badDebtUsd: new Float64Array(n) };
      map.set(key, c);
    }
    return c;
  };
  outcomes.forEach((o, k) => {
    const values = measuresOf(o.totals);
    for (const m of MEASURES) columns[m][k] = values[m];
    for (const [protocol, t] of Object.entries(o.totals.byProtocol)) {
      if (t === undefined) continue;
      const c = column(protocolColumns, protocol);
      c.liquidatedDebtUsd[k] = t.repaidUsd;
      c.badDebtUsd[k] = t.badDebtUsd;
    }
    for (const [market, l] of Object.entries(o.byMarket)) {
      const c = column(marketColumns, market);
      c.liquidatedDebtUsd[k] = l.liquidatedDebtUsd;
      c.badDebtUsd[k] = l.badDebtUsd;
    }
  });
  const scope = (map: typeof protocolColumns): Record<string, ScopeStatistics> =>
    Object.fromEntries(
      [...map.entries()].map(([key, c]) => [
        key,
        { liquidatedDebtUsd: lossStatistics(c.liquidatedDebtUsd), badDebtUsd: lossStatistics(c.badDebtUsd) },
      ]),
    );
  const order = Array.from({ length: n }, (_, k) => k).sort(
    (a, b) =>
      columns.badDebtUsd[b]! - columns.badDebtUsd[a]! ||
      columns.liquidatedDebtUsd[b]! - columns.liquidatedDebtUsd[a]! ||
      a - b,
  );
  const worstPaths = order.slice(0, WORST_PATHS).map((k) => ({
    path: k,
    shock: shockOfPath(paths, k),
    badDebtUsd: columns.badDebtUsd[k]!,
    liquidatedDebtUsd: columns.liquidatedDebtUsd[k]!,
    strandedDebtUsd: columns.strandedDebtUsd[k]!,
  }));
  return {
    schema: VAR_SCHEMA,
    horizonHours: run.horizonHours,
    seed: run.seed,
    pathCount: n,
    quantile: "nearest-rank",
    model: run.model,
    badDebtUsd: lossStatistics(columns.badDebtUsd),
    liquidatedDebtUsd: lossStatistics(columns.liquidatedDebtUsd),
    strandedDebtUsd: lossStatistics(columns.strandedDebtUsd),
    byProtocol: scope(protocolColumns),
    byMarket: scope(marketColumns),
    worstPaths,
    paths: outcomes.map((o, k) => ({ shock: shockOfPath(paths, k), totals: o.totals })),
  };
}

/** The whole analysis in this thread (the app layer runs the paths in parallel instead). */
export function valueAtRisk(book: Book, run: ValueAtRiskRun): ValueAtRiskReport {
  const paths = valueAtRiskPaths(run);
  const outcomes = simulatePaths(
    book,
    paths,
    0,
    paths.count,
    run.maxRounds === undefined ? {} : { maxRounds: run.maxRounds },
  );
  return aggregateValueAtRisk(run, paths, outcomes);
}
