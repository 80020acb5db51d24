/**
 * The order a stable sort by `a - b` gives, as indices, without comparing objects: one native
 * sort of the values, then each index placed after the earlier indices of an equal value.
 */

/**
 * Indices `0 .. values.length - 1` by ascending value, equal values in index order: the order of
 * `[...values].sort((a, b) => a - b)` (a stable sort), for values that are not NaN (`-0` and `0`
 * are equal, as `a - b` has them). Cost: one native sort and a binary search per value.
 */
export function ascendingOrder(values: Float64Array): Int32Array {
  const n = values.length;
  const sorted = values.slice().sort();
  /** Per first slot of a run of equal values in `sorted`, how many of its slots are taken. */
  const taken = new Int32Array(n);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const value = values[i]!;
    // The first slot whose value is not below `value` (-0 and 0 share it: neither is below the other).
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < value) lo = mid + 1;
      else hi = mid;
    }
    order[lo + taken[lo]!] = i;
    taken[lo] = taken[lo]! + 1;
  }
  return order;
}
