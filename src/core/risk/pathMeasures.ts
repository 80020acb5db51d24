/**
 * The three loss measures of one simulated path: bad debt, liquidated debt (debt repaid by
 * liquidations, USD at each round's oracle prices) and stranded debt (debt still liquidatable
 * but unprofitable to liquidate when the simulation stops: the report's `strandedDebtUsd`).
 */
import type { CascadeReport, CascadeTotals } from "../report/cascadeReport.js";

export const MEASURES = ["badDebtUsd", "liquidatedDebtUsd", "strandedDebtUsd"] as const;
export type Measure = (typeof MEASURES)[number];

export type MeasureValues = Record<Measure, number>;

/** What a path contributes per market: liquidated and bad debt of that market's positions. */
export interface MarketLosses {
  liquidatedDebtUsd: number;
  badDebtUsd: number;
}

/** One path's outcome: the report's totals, and losses by market id. */
export interface PathOutcome {
  readonly totals: CascadeTotals;
  readonly byMarket: Readonly<Record<string, MarketLosses>>;
}

/** Stranded debt of a report's totals (`cascade-report/2`'s `strandedDebtUsd`). */
export function strandedDebtUsdOf(totals: CascadeTotals): number {
  return totals.strandedDebtUsd;
}

export function measuresOf(totals: CascadeTotals): MeasureValues {
  return {
    badDebtUsd: totals.badDebtUsd,
    liquidatedDebtUsd: totals.repaidUsd,
    strandedDebtUsd: strandedDebtUsdOf(totals),
  };
}

/** A report's totals and per-market losses (every market of `marketIds`, zeros included). */
export function pathOutcome(report: CascadeReport, marketIds: readonly string[]): PathOutcome {
  const byMarket: Record<string, MarketLosses> = {};
  for (const id of marketIds) byMarket[id] = { liquidatedDebtUsd: 0, badDebtUsd: 0 };
  for (const l of report.liquidations) {
    const m = byMarket[l.market];
    if (m === undefined) continue;
    m.liquidatedDebtUsd += l.repaidUsd;
    m.badDebtUsd += l.badDebtUsd;
  }
  return { totals: report.totals, byMarket };
}
