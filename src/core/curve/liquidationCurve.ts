/**
 * Liquidation curves (docs/cascade-model.md section 5): for each shock of one asset on a grid, how
 * much debt round 1 repays (the direct effect), how much the whole cascade repays, and the bad debt.
 */
import type { Book } from "../book/book.js";
import { UserInputError } from "../errors.js";
import { type CascadeWorkspace, createCascadeWorkspace, runCascade } from "../propagator/runCascade.js";
import { checkMaxRounds, DEFAULT_MAX_ROUNDS, shockFactors } from "../propagator/shockFactors.js";
import { type ShockRun, type ShockRunCache, shockRunOf } from "./shockRun.js";

export interface CurvePoint {
  /** The asset's shock, e.g. -0.2. */
  readonly shock: number;
  /** USD repaid in round 1. */
  readonly directRepaidUsd: number;
  /** USD repaid over all rounds. */
  readonly totalRepaidUsd: number;
  readonly badDebtUsd: number;
}

/**
 * `from`, `from + step`, … up to `to` inclusive (within 1e-9 of a step). Points are computed as
 * `from + k step` and rounded to 12 decimals, so `shockGrid(0, -0.5, -0.01)` gives exactly
 * `-0.01, -0.02, …` without accumulated drift.
 * @throws UserInputError when `step` is 0, points away from `to`, or the grid has over 100000 points.
 */
export function shockGrid(from: number, to: number, step: number): number[] {
  if (![from, to, step].every(Number.isFinite)) {
    throw new UserInputError(`shock grid needs finite numbers, got from=${from} to=${to} step=${step}`);
  }
  if (step === 0 || (to - from) / step < 0) {
    throw new UserInputError(`shock grid step ${step} does not lead from ${from} to ${to}`);
  }
  const count = Math.floor((to - from) / step + 1e-9) + 1;
  if (count > 100_000)
    throw new UserInputError(`shock grid of ${count} points is too large (at most 100000)`);
  const out: number[] = [];
  for (let k = 0; k < count; k++) {
    const s = Math.round((from + k * step) * 1e12) / 1e12;
    out.push(s === 0 ? 0 : s);
  }
  return out;
}

/** One run of `asset`'s `shock` without per-liquidation records (cheaper than `simulate`). */
export function runShock(
  book: Book,
  asset: string,
  shock: number,
  maxRounds: number,
  workspace: CascadeWorkspace = createCascadeWorkspace(book),
): ShockRun {
  const run = runCascade(book, shockFactors(book, { [asset]: shock }), {
    maxRounds,
    recordLiquidations: false,
    workspace,
  });
  return shockRunOf(run.rounds);
}

/** The curve point of a run of `shock`. */
export function curvePointOf(shock: number, run: ShockRun): CurvePoint {
  return {
    shock,
    directRepaidUsd: run.directRepaidUsd,
    totalRepaidUsd: run.totalRepaidUsd,
    badDebtUsd: run.badDebtUsd,
  };
}

/** Runs one simulation per shock of `asset` (no per-liquidation records, so it is cheaper than `simulate`). */
export function curvePoint(
  book: Book,
  asset: string,
  shock: number,
  maxRounds: number,
  workspace: CascadeWorkspace = createCascadeWorkspace(book),
): CurvePoint {
  return curvePointOf(shock, runShock(book, asset, shock, maxRounds, workspace));
}

/**
 * The liquidation curve of `asset` over `shocks`.
 * @throws UserInputError for an unknown asset or a shock `<= -1`.
 */
export function liquidationCurve(
  book: Book,
  asset: string,
  shocks: readonly number[],
  options: {
    readonly maxRounds?: number;
    /** Per-run arrays to reuse (one per book); a fresh set when absent. */
    readonly workspace?: CascadeWorkspace | undefined;
    /** Runs of `asset` on `book` at this `maxRounds` already made (used, and added to). */
    readonly runs?: ShockRunCache | undefined;
  } = {},
): CurvePoint[] {
  const maxRounds = checkMaxRounds(options.maxRounds ?? DEFAULT_MAX_ROUNDS);
  // Validate every shock before the first (expensive) run.
  for (const s of shocks) shockFactors(book, { [asset]: s });
  const workspace = options.workspace ?? createCascadeWorkspace(book);
  const { runs } = options;
  return shocks.map((s) => {
    const known = runs?.get(s);
    if (known !== undefined) return curvePointOf(s, known);
    const run = runShock(book, asset, s, maxRounds, workspace);
    runs?.set(s, run);
    return curvePointOf(s, run);
  });
}
