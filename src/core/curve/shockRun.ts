/**
 * What the curves and the critical-shock search read of one run of a single asset's shock: the
 * repaid and bad-debt sums of its rounds and whether it cascades. The same shock run with or
 * without per-liquidation records (a scenario's `simulate`, a curve point, a search step) has the
 * same rounds, so one run can serve all three.
 */
import type { RoundSummary } from "../report/cascadeReport.js";

export interface ShockRun {
  /** Rounds with liquidations. */
  readonly rounds: number;
  /** USD repaid in round 1. */
  readonly directRepaidUsd: number;
  /** USD repaid over all rounds, summed round by round. */
  readonly totalRepaidUsd: number;
  /** Bad debt over all rounds, summed round by round. */
  readonly badDebtUsd: number;
  /** Some round made bad debt. */
  readonly badDebt: boolean;
}

/**
 * Runs of one asset's shocks on one book with one `maxRounds`, by shock (the exact float): what
 * a cycle's curve points and critical-shock search share.
 */
export type ShockRunCache = Map<number, ShockRun>;

/** The run's sums, in round order. */
export function shockRunOf(rounds: readonly RoundSummary[]): ShockRun {
  let totalRepaidUsd = 0;
  let badDebtUsd = 0;
  let badDebt = false;
  for (const r of rounds) {
    totalRepaidUsd += r.repaidUsd;
    badDebtUsd += r.badDebtUsd;
    if (r.badDebtUsd > 0) badDebt = true;
  }
  return {
    rounds: rounds.length,
    directRepaidUsd: rounds[0]?.repaidUsd ?? 0,
    totalRepaidUsd,
    badDebtUsd,
    badDebt,
  };
}
