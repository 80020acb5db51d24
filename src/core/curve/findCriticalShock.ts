/**
 * The critical shock of an asset (docs/cascade-model.md section 5): the smallest drop, to 1e-4, at
 * which the simulation runs two or more rounds with liquidations, and the smallest drop that
 * creates bad debt.
 *
 * Neither is monotone in the shock in general (a deeper drop can liquidate a position fully in
 * round 1 that a milder one liquidates over two rounds). The search: shocks are the grid
 * `s = -k / 10000`, k = 0 … 9900. A coarse scan visits k = 0, K, 2K, … (K = coarseStep * 10000)
 * up to 9900 and stops at the first point where the property holds; bisection on k between
 * that point and the previous coarse point (where it did not hold) then finds a k where it
 * holds and k - 1 does not. So the result always satisfies the property, and no coarse point
 * of smaller magnitude does; a window narrower than the coarse step can be missed.
 */
import type { Book } from "../book/book.js";
import { UserInputError } from "../errors.js";
import { createCascadeWorkspace, runCascade } from "../propagator/runCascade.js";
import { checkMaxRounds, DEFAULT_MAX_ROUNDS, shockFactors } from "../propagator/shockFactors.js";

export interface CriticalShock {
  readonly asset: string;
  /** Smallest-magnitude shock with a cascade (>= 2 rounds with liquidations), or null up to -0.99. */
  readonly criticalShock: number | null;
  /** Smallest-magnitude shock with any bad debt, or null up to -0.99. */
  readonly badDebtShock: number | null;
}

export interface FindCriticalShockOptions {
  /** Coarse scan step as a positive magnitude (default 0.02); a multiple of 1e-4. */
  readonly coarseStep?: number;
  readonly maxRounds?: number;
}

const RESOLUTION = 10_000;
const MAX_K = 9_900;

interface Outcome {
  readonly cascade: boolean;
  readonly badDebt: boolean;
}

const shockOf = (k: number): number => (k === 0 ? 0 : -k / RESOLUTION);

/** Smallest k on the coarse grid (then bisected) where `holds`; null if none up to MAX_K. */
function search(
  coarse: number,
  outcome: (k: number) => Outcome,
  holds: (o: Outcome) => boolean,
): number | null {
  let previous = -1;
  for (let k = 0; ; k = Math.min(k + coarse, MAX_K)) {
    if (holds(outcome(k))) {
      if (previous < 0) return k;
      let lo = previous; // does not hold
      let hi = k; // holds
      while (hi - lo > 1) {
        const mid = (lo + hi) >>> 1;
        if (holds(outcome(mid))) hi = mid;
        else lo = mid;
      }
      return hi;
    }
    if (k === MAX_K) return null;
    previous = k;
  }
}

/**
 * Finds the critical and bad-debt shocks of `asset` on `book`; each simulation is cached, so the
 * two searches share runs.
 * @throws UserInputError for an unknown asset or a bad option.
 */
export function findCriticalShock(
  book: Book,
  asset: string,
  options: FindCriticalShockOptions = {},
): CriticalShock {
  const maxRounds = checkMaxRounds(options.maxRounds ?? DEFAULT_MAX_ROUNDS);
  const coarseStep = options.coarseStep ?? 0.02;
  const coarse = Math.round(coarseStep * RESOLUTION);
  if (!(coarse >= 1 && coarse <= MAX_K)) {
    throw new UserInputError(`coarseStep must be between 0.0001 and 0.99, got ${coarseStep}`);
  }
  shockFactors(book, { [asset]: 0 });
  const cache = new Map<number, Outcome>();
  const workspace = createCascadeWorkspace(book);
  const outcome = (k: number): Outcome => {
    const known = cache.get(k);
    if (known !== undefined) return known;
    const run = runCascade(book, shockFactors(book, { [asset]: shockOf(k) }), {
      maxRounds,
      recordLiquidations: false,
      workspace,
    });
    const result = {
      cascade: run.rounds.length >= 2,
      badDebt: run.rounds.some((r) => r.badDebtUsd > 0),
    };
    cache.set(k, result);
    return result;
  };
  const critical = search(coarse, outcome, (o) => o.cascade);
  const badDebt = search(coarse, outcome, (o) => o.badDebt);
  return {
    asset,
    criticalShock: critical === null ? null : shockOf(critical),
    badDebtShock: badDebt === null ? null : shockOf(badDebt),
  };
}
