/**
 * Cholesky factor of a symmetric positive semi-definite matrix: lower-triangular `L` with
 * `L Lᵀ = A`. A zero pivot (a perfectly correlated asset) is accepted: its column below the
 * pivot must then be zero too, and stays zero in `L`.
 */
import { UserInputError } from "../errors.js";

/** Pivots and off-diagonal residues within this of 0 are rounding, not indefiniteness. */
const TOLERANCE = 1e-10;

/**
 * @param name what the matrix is, for messages (e.g. `risk.var.correlations`).
 * @param labels row names (asset ids), for messages.
 * @throws UserInputError naming the matrix when it is not square, not symmetric, or not
 * positive semi-definite.
 */
export function choleskyFactor(
  matrix: ReadonlyArray<ArrayLike<number>>,
  name: string,
  labels: readonly string[] = [],
): Float64Array[] {
  const n = matrix.length;
  const label = (i: number): string => labels[i] ?? `row ${i}`;
  for (let i = 0; i < n; i++) {
    const row = matrix[i]!;
    if (row.length !== n)
      throw new UserInputError(
        `${name}: not a square matrix (row ${i} has ${row.length} entries, expected ${n})`,
      );
    for (let j = 0; j < n; j++) {
      const a = row[j]!;
      const b = matrix[j]![i]!;
      if (!Number.isFinite(a))
        throw new UserInputError(`${name}: entry ${label(i)}/${label(j)} is not a number`);
      if (Math.abs(a - b) > TOLERANCE)
        throw new UserInputError(
          `${name}: not symmetric (${label(i)}/${label(j)} is ${a}, ${label(j)}/${label(i)} is ${b})`,
        );
    }
  }
  const lower = Array.from({ length: n }, () => new Float64Array(n));
  for (let j = 0; j < n; j++) {
    const lj = lower[j]!;
    let pivot = matrix[j]![j]!;
    for (let k = 0; k < j; k++) pivot -= lj[k]! * lj[k]!;
    if (pivot < -TOLERANCE) {
      throw new UserInputError(
        `${name} is not positive semi-definite (no covariance has these correlations; the pivot of ${label(j)} is ${pivot.toPrecision(3)}): lower the correlations that contradict each other`,
      );
    }
    const d = pivot > TOLERANCE ? Math.sqrt(pivot) : 0;
    lj[j] = d;
    for (let i = j + 1; i < n; i++) {
      const li = lower[i]!;
      let s = matrix[i]![j]!;
      for (let k = 0; k < j; k++) s -= li[k]! * lj[k]!;
      if (d === 0) {
        if (Math.abs(s) > 1e-8) {
          throw new UserInputError(
            `${name} is not positive semi-definite (${label(j)} is fully determined by the assets before it, yet correlates differently with ${label(i)}): lower the correlations that contradict each other`,
          );
        }
        li[j] = 0;
      } else li[j] = s / d;
    }
  }
  return lower;
}
