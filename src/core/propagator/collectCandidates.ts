/**
 * Which positions a round must judge; exact rule checks follow, so this only has to include
 * every position that could be liquidatable.
 *
 * The bound: for a group of the book's index (positions judged by the same oracle sets), if
 * every collateral report moved by at least `fMin` and every debt report by at most `fMax` since
 * round `q`'s reports, a member's health now is at least its health at `q` times `fMin / fMax`.
 * Two uses:
 * - a member never judged has its health at the book's reports (`healthFactor0`, sorted), so a
 *   binary search finds the prefix of the group whose bound is not above 1;
 * - a position judged healthy in round `q` (or liquidated and left with health `h` at round `q`
 *   reports) is skipped while `h * fMin / fMax` stays above 1.
 * A relative margin of 1e-9, far above float rounding, keeps the skip on the safe side.
 */
import type { Book } from "../book/book.js";

const HEALTH_MARGIN = 1 + 1e-9;

/** Number of leading entries of `health[from..to)` (ascending) that are `<= bound`. */
function countAtMost(health: Float64Array, from: number, to: number, bound: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (health[mid]! <= bound) lo = mid + 1;
    else hi = mid;
  }
  return lo - from;
}

export interface CandidateTracker {
  /** 0 once a position has nothing left to liquidate. */
  readonly alive: Uint8Array;
  /** 1 once a position's amounts moved (its `healthFactor0` is stale); such positions are in `changedList`. */
  readonly changed: Uint8Array;
  readonly changedList: number[];
  /** Health at the reports of round `judgedRound[i]` (0 = not known, judge when the bound allows). */
  readonly judgedHealth: Float64Array;
  readonly judgedRound: Int32Array;
  /** Oracle reports of each round so far (index 0: the book's). */
  readonly roundReports: Float64Array[];
  /**
   * Per group, the members taken into the group's work list so far (the widest prefix yet);
   * the work list lives in `work[groupStart[g] ..]`, `workLength[g]` long, and loses members
   * once they are gone or changed, so a round does not walk them again.
   */
  readonly taken: Int32Array;
  readonly work: Int32Array;
  readonly workLength: Int32Array;
  readonly out: Int32Array;
  /** Per position, 0 between rounds: marks a round's candidates when they are put in order by a sweep. */
  readonly mark: Uint8Array;
}

export function createCandidateTracker(book: Book): CandidateTracker {
  const n = book.positions.count;
  return {
    alive: new Uint8Array(n).fill(1),
    changed: new Uint8Array(n),
    changedList: [],
    judgedHealth: new Float64Array(n),
    judgedRound: new Int32Array(n),
    roundReports: [book.oracles.reportedUsd],
    taken: new Int32Array(book.index.groupStart.length - 1),
    work: new Int32Array(book.index.positions.length),
    workLength: new Int32Array(book.index.groupStart.length - 1),
    out: new Int32Array(n),
    mark: new Uint8Array(n),
  };
}

/** Makes a used tracker as new, so a series of simulations (a curve) reuses its arrays. */
export function resetCandidateTracker(book: Book, tracker: CandidateTracker): void {
  tracker.alive.fill(1);
  tracker.changed.fill(0);
  tracker.changedList.length = 0;
  tracker.judgedRound.fill(0);
  tracker.roundReports.length = 1;
  tracker.roundReports[0] = book.oracles.reportedUsd;
  tracker.taken.fill(0);
  tracker.workLength.fill(0);
}

/**
 * The round's candidates, in ascending position order, in `tracker.out`; returns how many.
 * `round` >= 1; `reportUsd` are the round's oracle reports (per oracle index).
 */
export function collectCandidates(
  book: Book,
  tracker: CandidateTracker,
  round: number,
  reportUsd: Float64Array,
): number {
  const index = book.index;
  const { groupCollStart, groupCollOracle, groupDebtStart, groupDebtOracle, groupStart, positions, groupOf } =
    index;
  const health0 = index.healthFactor0;
  const { alive, changed, changedList, judgedHealth, judgedRound, out } = tracker;
  tracker.roundReports[round] = reportUsd;
  const groupCount = groupStart.length - 1;
  // factor[g * round + q]: the group's fMin / fMax from round q's reports (q = 0: the book's) to now.
  const factor = new Float64Array(groupCount * round);
  for (let g = 0; g < groupCount; g++) {
    for (let q = 0; q < round; q++) {
      const before = tracker.roundReports[q]!;
      let minColl = Number.POSITIVE_INFINITY;
      for (let k = groupCollStart[g]!; k < groupCollStart[g + 1]!; k++) {
        const o = groupCollOracle[k]!;
        minColl = Math.min(minColl, reportUsd[o]! / before[o]!);
      }
      let maxDebt = 0;
      for (let k = groupDebtStart[g]!; k < groupDebtStart[g + 1]!; k++) {
        const o = groupDebtOracle[k]!;
        maxDebt = Math.max(maxDebt, reportUsd[o]! / before[o]!);
      }
      // 0, NaN or +Infinity (a report at 0, no collateral) make no usable bound: judge.
      const f = minColl / maxDebt;
      factor[g * round + q] = f > 0 && f < Number.POSITIVE_INFINITY ? f : 0;
    }
  }
  const skip = (i: number, g: number): boolean => {
    const q = judgedRound[i]!;
    return q > 0 && judgedHealth[i]! * factor[g * round + q]! > HEALTH_MARGIN;
  };
  const { taken, work, workLength } = tracker;
  let n = 0;
  for (let g = 0; g < groupCount; g++) {
    const from = groupStart[g]!;
    const to = groupStart[g + 1]!;
    const f0 = factor[g * round]!;
    const take = f0 > 0 ? countAtMost(health0, from, to, HEALTH_MARGIN / f0) : to - from;
    // Widen the work list to this round's prefix; a member past the prefix is safe to skip,
    // and one already in the list is checked against its own, tighter, bound.
    let length = workLength[g]!;
    for (let k = from + taken[g]!; k < from + take; k++) work[from + length++] = positions[k]!;
    if (take > taken[g]!) taken[g] = take;
    let kept = 0;
    for (let k = from; k < from + length; k++) {
      const i = work[k]!;
      if (changed[i] !== 0 || alive[i] === 0) continue;
      work[from + kept++] = i;
      if (!skip(i, g)) out[n++] = i;
    }
    workLength[g] = kept;
  }
  for (const i of changedList) if (alive[i] === 1 && !skip(i, groupOf[i]!)) out[n++] = i;
  return ascending(out, n, tracker.mark);
}

/** Sorts the `n` distinct positions `out[0 .. n)`; returns `n`. */
function ascending(out: Int32Array, n: number, mark: Uint8Array): number {
  // Many candidates (a deep shock): a sweep over every position's mark is linear, the sort is not.
  if (n <= mark.length >>> 5) {
    out.subarray(0, n).sort();
    return n;
  }
  for (let k = 0; k < n; k++) mark[out[k]!] = 1;
  let sorted = 0;
  for (let i = 0; i < mark.length; i++) {
    if (mark[i] === 0) continue;
    mark[i] = 0;
    out[sorted++] = i;
  }
  return sorted;
}
