/**
 * The critical shock of an asset (docs/cascade-model.md section 5), by the model's procedure:
 * simulate `s = -0.01 k` for `k = 1 … 99`; the first `k` whose simulation runs two or more rounds
 * with liquidations brackets the critical shock between `-0.01 (k - 1)` (taken as not passing,
 * not simulated) and `-0.01 k`; bisect that bracket until its width is at most 1e-4 and report
 * its passing end. The bad-debt shock is found the same way with "creates bad debt" as the test.
 * Neither exists when no grid point passes.
 *
 * Neither property is monotone in the shock in general (a deeper drop can liquidate a position
 * fully in round 1 that a milder one liquidates over two rounds), so a window narrower than the
 * grid step can be missed; the result always has the property.
 */
import type { Book } from "../book/book.js";
import { type CascadeWorkspace, createCascadeWorkspace } from "../propagator/runCascade.js";
import { checkMaxRounds, DEFAULT_MAX_ROUNDS, shockFactors } from "../propagator/shockFactors.js";
import { runShock } from "./liquidationCurve.js";
import type { ShockRun, ShockRunCache } from "./shockRun.js";

export interface CriticalShock {
  readonly asset: string;
  /** The passing end of the bisected bracket for a cascade (>= 2 rounds with liquidations), or null. */
  readonly criticalShock: number | null;
  /** The same for any bad debt, or null. */
  readonly badDebtShock: number | null;
}

export interface FindCriticalShockOptions {
  readonly maxRounds?: number;
  /** Per-run arrays to reuse (one per book); a fresh set when absent. */
  readonly workspace?: CascadeWorkspace | undefined;
  /**
   * Runs of `asset` on `book` at this `maxRounds` already made (a curve's points, a scenario):
   * a grid or bisection step at one of their shocks is not run again; the search's runs are added.
   */
  readonly runs?: ShockRunCache | undefined;
}

/** Grid step and points of the scan, and the bracket width bisection stops at. */
export const CRITICAL_GRID_STEP = 0.01;
export const CRITICAL_GRID_POINTS = 99;
export const CRITICAL_RESOLUTION = 1e-4;

type Outcome = Pick<ShockRun, "rounds" | "badDebt">;

/** The passing end of the first passing grid bracket, bisected; null when no grid point passes. */
function search(outcome: (s: number) => Outcome, holds: (o: Outcome) => boolean): number | null {
  for (let k = 1; k <= CRITICAL_GRID_POINTS; k++) {
    const far = -k * CRITICAL_GRID_STEP;
    if (!holds(outcome(far))) continue;
    let near = -(k - 1) * CRITICAL_GRID_STEP; // does not pass (or is not simulated)
    let passing = far;
    while (near - passing > CRITICAL_RESOLUTION) {
      const mid = (near + passing) / 2;
      if (holds(outcome(mid))) passing = mid;
      else near = mid;
    }
    return passing;
  }
  return null;
}

/**
 * Finds the critical and bad-debt shocks of `asset` on `book`; simulations are cached by shock,
 * so the two searches share runs (at most 99 + 2 × 7), and with the `runs` given.
 * @throws UserInputError for an unknown asset or a bad `maxRounds`.
 */
export function findCriticalShock(
  book: Book,
  asset: string,
  options: FindCriticalShockOptions = {},
): CriticalShock {
  const maxRounds = checkMaxRounds(options.maxRounds ?? DEFAULT_MAX_ROUNDS);
  shockFactors(book, { [asset]: 0 });
  const cache: ShockRunCache = options.runs ?? new Map();
  const workspace = options.workspace ?? createCascadeWorkspace(book);
  const outcome = (s: number): Outcome => {
    const known = cache.get(s);
    if (known !== undefined) return known;
    const run = runShock(book, asset, s, maxRounds, workspace);
    cache.set(s, run);
    return run;
  };
  return {
    asset,
    criticalShock: search(outcome, (o) => o.rounds >= 2),
    badDebtShock: search(outcome, (o) => o.badDebt),
  };
}
