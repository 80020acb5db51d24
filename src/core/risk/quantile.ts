/**
 * Sample statistics of a loss measure over Monte Carlo paths.
 *
 * Percentiles are **nearest-rank**: the `p` quantile of `n` sorted values is the value of rank
 * `ceil(p n)` (1-based), the smallest value with at least a share `p` of the sample at or below
 * it; it is always one of the sampled values (a path one can re-simulate). The expected
 * shortfall beyond `p` is the mean of the values of rank above `ceil(p n)` (the worst
 * `n - ceil(p n)` paths), or the largest value when no rank is above it; so `es >= quantile`.
 */

export interface LossStatistics {
  readonly mean: number;
  readonly p95: number;
  readonly p99: number;
  /** Mean of the paths beyond the p99 rank. */
  readonly es99: number;
}

/** 1-based rank of the `p` quantile among `n` values (the small epsilon absorbs `0.99 * 100 = 98.99…`). */
export function nearestRank(p: number, n: number): number {
  return Math.min(n, Math.max(1, Math.ceil(p * n - 1e-9)));
}

/** The nearest-rank `p` quantile of ascending `sorted` values (NaN for an empty sample). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[nearestRank(p, sorted.length) - 1]!;
}

/** Mean of the values of rank above the `p` quantile's rank; the largest value when there are none. */
export function tailMeanSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const rank = nearestRank(p, n);
  if (rank >= n) return sorted[n - 1]!;
  let sum = 0;
  for (let i = rank; i < n; i++) sum += sorted[i]!;
  return sum / (n - rank);
}

/** Mean, p95, p99 and the expected shortfall beyond p99 of `values` (any order; not changed). */
export function lossStatistics(values: ArrayLike<number>): LossStatistics {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i]!;
  return {
    mean: sorted.length === 0 ? Number.NaN : sum / sorted.length,
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
    es99: tailMeanSorted(sorted, 0.99),
  };
}
