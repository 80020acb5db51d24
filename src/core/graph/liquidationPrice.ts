import type { PositionTerms } from "./positionTerms.js";

/** Where a position becomes liquidatable as one asset's price falls. */
export type LiquidationPrice =
  /** Liquidatable once the asset's price is below `priceUsd` (at most the current price). */
  | { readonly kind: "below"; readonly priceUsd: number }
  /** Liquidatable at the current prices already. */
  | { readonly kind: "already" }
  /** No fall of this asset makes it liquidatable (no debt, hedged, or it liquidates on a rise). */
  | { readonly kind: "notOnFall" };

/**
 * The price of `asset` below which the position becomes liquidatable, every other price fixed
 * except the assets in `betas` (the asset itself with beta 1, its followers with their
 * cumulative beta), which move linearly with it: `p_i = p_i0 (1 + beta_i (p / p0 - 1))`.
 * The model's floor at 0 is not applied (exact for every beta in [0, 1]).
 * Both sides of the health ratio are then linear in `p`, so the answer is exact, no search.
 */
export function liquidationPrice(
  terms: PositionTerms,
  asset: string,
  prices: ReadonlyMap<string, number>,
  betas: ReadonlyMap<string, number>,
): LiquidationPrice {
  if (terms.debt.length === 0) return { kind: "notOnFall" };
  const priceUsd = prices.get(asset) ?? 0;
  // margin(p) = intercept + slope * p = Σ collateral value·weight − Σ debt value at price p.
  let intercept = 0;
  let slope = 0;
  let margin = 0;
  for (const term of terms.collateral) {
    const value = term.amount * (prices.get(term.asset) ?? 0) * term.weight;
    const beta = betas.get(term.asset) ?? 0;
    intercept += value * (1 - beta);
    slope += (value * beta) / priceUsd;
    margin += value;
  }
  for (const term of terms.debt) {
    const value = term.amount * (prices.get(term.asset) ?? 0);
    const beta = betas.get(term.asset) ?? 0;
    intercept -= value * (1 - beta);
    slope -= (value * beta) / priceUsd;
    margin -= value;
  }
  if (margin < 0) return { kind: "already" };
  if (slope <= 0) return { kind: "notOnFall" };
  const below = -intercept / slope;
  if (!(below > 0)) return { kind: "notOnFall" };
  // margin >= 0 puts the root at or below the current price; rounding may not.
  return { kind: "below", priceUsd: Math.min(below, priceUsd) };
}
