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
 * The market price of `asset` below which the position becomes liquidatable. Each term is priced
 * by its oracle's report (`prices`, keyed by oracle id; an oracle named after an asset is that
 * asset's own), and the reports in `betas` move linearly with the asset's price:
 * `o_k = o_k0 (1 + beta_k (p / p0 - 1))` (`oracleSensitivity`), every other report fixed.
 * The model's floor at 0 is not applied (exact for every beta in [0, 1]).
 * Both sides of the health ratio are then linear in `p`, so the answer is exact, no search.
 */
export function liquidationPrice(
  terms: PositionTerms,
  asset: string,
  prices: ReadonlyMap<string, number>,
  betas: ReadonlyMap<string, number>,
  assetPriceUsd: number = prices.get(asset) ?? 0,
): LiquidationPrice {
  if (terms.debt.length === 0) return { kind: "notOnFall" };
  const priceUsd = assetPriceUsd;
  // margin(p) = intercept + slope * p = Σ collateral value·weight − Σ debt value at price p.
  let intercept = 0;
  let slope = 0;
  let margin = 0;
  for (const term of terms.collateral) {
    const value = term.amount * (prices.get(term.oracle) ?? 0) * term.weight;
    const beta = betas.get(term.oracle) ?? 0;
    intercept += value * (1 - beta);
    slope += (value * beta) / priceUsd;
    margin += value;
  }
  for (const term of terms.debt) {
    const value = term.amount * (prices.get(term.oracle) ?? 0);
    const beta = betas.get(term.oracle) ?? 0;
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
