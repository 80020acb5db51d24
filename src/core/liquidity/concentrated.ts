/**
 * Concentrated-liquidity swaps (a Uniswap V3 pool; docs/cascade-model.md, section 2). The pool's
 * state is its square-root price `s = sqrt(π)` (π in quote units per unit of the asset). Ranges
 * are disjoint, ascending, each `[lower, upper)` with constant liquidity `L` in token units;
 * in a range the pool holds virtually `L / s` of the asset and `L s` of the quote.
 *
 * Pure arithmetic on the book's range arrays; results go into a reusable scratch object.
 */

/** The ranges of one pool: entries `from .. to - 1` of the three arrays, ascending. */
export interface RangeArrays {
  readonly sqrtLower: Float64Array;
  readonly sqrtUpper: Float64Array;
  readonly liquidity: Float64Array;
}

/** What one concentrated swap did. Reused on the hot path. */
export interface ConcentratedSwap {
  /** Square-root price after the swap. */
  sqrtPrice: number;
  /** Sale: quote units received. Purchase: quote units paid (fee included). */
  quoteAmount: number;
  /** True when the pool ran out of liquidity before the whole amount traded. */
  exhausted: boolean;
}

export const emptyConcentratedSwap = (): ConcentratedSwap => ({
  sqrtPrice: 0,
  quoteAmount: 0,
  exhausted: false,
});

/**
 * Sells `amount` units (before the fee `fee`, a fraction) at square-root price `s`, walking down
 * through the ranges: in the range with `lower < π <= upper` (lower end `s_lo`), if the rest
 * `A' <= L (1/s_lo - 1/s)` then `s' = L s / (L + A' s)` and `out += L (s - s')`; else the range
 * is emptied (`out += L (s - s_lo)`) and the walk continues below. Where no range with liquidity
 * covers the price, the price jumps (no trade) to the upper end of the nearest range below; when
 * none is left, the rest is not sold.
 */
export function sellConcentrated(
  out: ConcentratedSwap,
  ranges: RangeArrays,
  from: number,
  to: number,
  sqrtPrice: number,
  amount: number,
  fee: number,
): void {
  const { sqrtLower, sqrtUpper, liquidity } = ranges;
  let s = sqrtPrice;
  let rest = amount * (1 - fee);
  let received = 0;
  // The highest range whose lower end is below s: the one containing s, or the nearest below.
  let r = to - 1;
  while (r >= from && !(sqrtLower[r]! < s)) r--;
  while (rest > 0) {
    while (r >= from && !(liquidity[r]! > 0)) r--;
    if (r < from) break;
    if (s > sqrtUpper[r]!) s = sqrtUpper[r]!; // a gap: jump down without trading
    const L = liquidity[r]!;
    const sLo = sqrtLower[r]!;
    const room = L * (1 / sLo - 1 / s);
    if (rest <= room) {
      const next = (L * s) / (L + rest * s);
      received += L * (s - next);
      s = next;
      rest = 0;
    } else {
      received += L * (s - sLo);
      rest -= room;
      s = sLo;
      r--;
    }
  }
  out.sqrtPrice = s;
  out.quoteAmount = received;
  out.exhausted = rest > 0;
}

/**
 * Buys `amount` units at square-root price `s`, walking up: in the range with
 * `lower <= π < upper` (upper end `s_hi`), if `B <= L (1/s - 1/s_hi)` then `1/s' = 1/s - B/L`
 * and `in += L (s' - s) / (1 - f)`; else the range is emptied (paying `L (s_hi - s) / (1 - f)`)
 * and the walk continues above. Gaps are jumped to the lower end of the nearest range above;
 * what cannot be bought is not bought.
 */
export function buyConcentrated(
  out: ConcentratedSwap,
  ranges: RangeArrays,
  from: number,
  to: number,
  sqrtPrice: number,
  amount: number,
  fee: number,
): void {
  const { sqrtLower, sqrtUpper, liquidity } = ranges;
  let s = sqrtPrice;
  let rest = amount;
  let paid = 0;
  // The lowest range whose upper end is above s: the one containing s, or the nearest above.
  let r = from;
  while (r < to && !(sqrtUpper[r]! > s)) r++;
  while (rest > 0) {
    while (r < to && !(liquidity[r]! > 0)) r++;
    if (r >= to) break;
    if (s < sqrtLower[r]!) s = sqrtLower[r]!; // a gap: jump up without trading
    const L = liquidity[r]!;
    const sHi = sqrtUpper[r]!;
    const room = L * (1 / s - 1 / sHi);
    if (rest <= room) {
      const next = 1 / (1 / s - rest / L);
      paid += (L * (next - s)) / (1 - fee);
      s = next;
      rest = 0;
    } else {
      paid += (L * (sHi - s)) / (1 - fee);
      rest -= room;
      s = sHi;
      r++;
    }
  }
  out.sqrtPrice = s;
  out.quoteAmount = paid;
  out.exhausted = rest > 0;
}
