/**
 * Which positions a round must judge. Exact rule checks follow; this only has to include every
 * position that could be liquidatable. A one-collateral/one-debt position not yet liquidated is
 * liquidatable only if `p_c / p_d < t` (its index ratio); a relative margin of 1e-9 covers float
 * rounding, so skipping those with `t < (p_c / p_d)(1 - 1e-9)` never skips a liquidatable one.
 */
import type { Book } from "../book/book.js";

const RATIO_MARGIN = 1e-9;

/** Number of leading entries of `ratio[from..to)` (sorted descending) that are `>= bound`. */
function countAtLeast(ratio: Float64Array, from: number, to: number, bound: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ratio[mid]! >= bound) lo = mid + 1;
    else hi = mid;
  }
  return lo - from;
}

/**
 * Writes the candidates into `out` in ascending position order and returns how many.
 * `changed[i]` marks positions whose amounts moved since the book was compiled (they are
 * listed in `changedList` and judged every round); `alive[i]` is 0 once a position is gone.
 */
export function collectCandidates(
  book: Book,
  priceUsd: Float64Array,
  alive: Uint8Array,
  changed: Uint8Array,
  changedList: readonly number[],
  out: Int32Array,
): number {
  const { groupCollAsset, groupDebtAsset, groupStart, positions, ratio, otherPositions } = book.index;
  let n = 0;
  for (let g = 0; g < groupCollAsset.length; g++) {
    const from = groupStart[g]!;
    const to = groupStart[g + 1]!;
    const current = priceUsd[groupCollAsset[g]!]! / priceUsd[groupDebtAsset[g]!]!;
    const take = Number.isNaN(current)
      ? to - from
      : countAtLeast(ratio, from, to, current * (1 - RATIO_MARGIN));
    for (let k = from; k < from + take; k++) {
      const i = positions[k]!;
      if (alive[i] === 1 && changed[i] === 0) out[n++] = i;
    }
  }
  for (const i of changedList) if (alive[i] === 1) out[n++] = i;
  for (let k = 0; k < otherPositions.length; k++) {
    const i = otherPositions[k]!;
    if (alive[i] === 1 && changed[i] === 0) out[n++] = i;
  }
  out.subarray(0, n).sort();
  return n;
}
