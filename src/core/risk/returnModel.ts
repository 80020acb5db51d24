/**
 * The joint model of the assets' returns over a horizon (cascade-model.md leaves correlation
 * to the shock; this is the shock generator of the Monte Carlo analyses): annualised
 * log-return volatilities, a correlation matrix, and normal or Student-t tails.
 */

export type ReturnTails =
  | { readonly kind: "normal" }
  /** Multivariate Student-t with `degreesOfFreedom` (> 2), scaled to unit variance. */
  | { readonly kind: "student-t"; readonly degreesOfFreedom: number };

export interface ReturnModel {
  /** The assets the model moves, in matrix order; every other asset moves only with its leader or quote. */
  readonly assets: readonly string[];
  /** Annualised volatility of each asset's log return (0.8 = 80% a year). */
  readonly volatility: readonly number[];
  /** Correlation of the standardised returns; symmetric, unit diagonal, positive semi-definite. */
  readonly correlation: ReadonlyArray<readonly number[]>;
  readonly tails: ReturnTails;
  /** Where the correlations come from, named when they are not positive semi-definite. */
  readonly correlationSource?: string;
}

/** Hours in the model's year: volatilities are annualised over 365 days. */
export const HOURS_PER_YEAR = 365 * 24;
