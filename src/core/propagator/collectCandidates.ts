/**
 * Which positions a round must judge; exact rule checks follow, so this only has to include
 * every position that could be liquidatable. For a group of the book's index, with `f` = price
 * now over the book's price, a member's health is at least `healthFactor0 * min f(collateral) /
 * max f(debt)`; members whose bound is above `1 + 1e-9` (a margin far above float rounding) are
 * skipped. Positions liquidated before (their amounts moved) are judged every round.
 */
import type { Book } from "../book/book.js";

const HEALTH_MARGIN = 1e-9;

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

/**
 * Writes the candidates into `out` in ascending position order and returns how many.
 * `changed[i]` marks positions whose amounts moved (listed in `changedList`, judged every
 * round); `alive[i]` is 0 once a position has nothing left to liquidate.
 */
export function collectCandidates(
  book: Book,
  priceUsd: Float64Array,
  alive: Uint8Array,
  changed: Uint8Array,
  changedList: readonly number[],
  out: Int32Array,
): number {
  const index = book.index;
  const { groupCollStart, groupCollAsset, groupDebtStart, groupDebtAsset, groupStart, positions } = index;
  const health = index.healthFactor0;
  const price0 = book.assets.priceUsd;
  const groupCount = groupStart.length - 1;
  let n = 0;
  for (let g = 0; g < groupCount; g++) {
    let minColl = Number.POSITIVE_INFINITY;
    for (let k = groupCollStart[g]!; k < groupCollStart[g + 1]!; k++) {
      const a = groupCollAsset[k]!;
      minColl = Math.min(minColl, priceUsd[a]! / price0[a]!);
    }
    let maxDebt = 0;
    for (let k = groupDebtStart[g]!; k < groupDebtStart[g + 1]!; k++) {
      const a = groupDebtAsset[k]!;
      maxDebt = Math.max(maxDebt, priceUsd[a]! / price0[a]!);
    }
    const factor = minColl / maxDebt;
    const from = groupStart[g]!;
    const to = groupStart[g + 1]!;
    // factor 0, NaN or +Infinity (no collateral asset): judge the whole group.
    const take =
      factor > 0 && factor < Number.POSITIVE_INFINITY
        ? countAtMost(health, from, to, (1 + HEALTH_MARGIN) / factor)
        : to - from;
    for (let k = from; k < from + take; k++) {
      const i = positions[k]!;
      if (changed[i] === 0 && alive[i] === 1) out[n++] = i;
    }
  }
  for (const i of changedList) if (alive[i] === 1) out[n++] = i;
  out.subarray(0, n).sort();
  return n;
}
