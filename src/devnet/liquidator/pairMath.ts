/**
 * Uniswap V2 constant-product arithmetic in raw token units (bigint), fee 0.3% as the pair charges it.
 */

/** Output of selling `amountIn` into reserves (`reserveIn`, `reserveOut`), rounded down as the router does. */
export function uniswapAmountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  if (amountIn <= 0n) return 0n;
  const inWithFee = amountIn * 997n;
  return (inWithFee * reserveOut) / (reserveIn * 1000n + inWithFee);
}

/** Input needed to take `amountOut` out of the pair, rounded up as the router does. */
export function uniswapAmountIn(amountOut: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  if (amountOut <= 0n) return 0n;
  return (reserveIn * amountOut * 1000n) / ((reserveOut - amountOut) * 997n) + 1n;
}

/**
 * How much of a token to sell into its pair so that the token's price (other reserve over this
 * reserve) falls by `priceRatio` = new price / old price (< 1), fee included.
 * Selling `a` against reserves `x` (this token) and `y` leaves `1000 x y / ((1000 x + 997 a)(x + a))`,
 * so `a` is the positive root of `997 a^2 + 1997 x a + 1000 x^2 (1 - 1/priceRatio) = 0`.
 * Float64 precision (about 1e-15 relative); rounded down.
 */
export function amountToSellForPriceRatio(reserve: bigint, priceRatio: number): bigint {
  if (!(priceRatio > 0 && priceRatio < 1)) return 0n;
  const x = Number(reserve);
  const c = 1000 * (1 - 1 / priceRatio);
  const root = (-1997 + Math.sqrt(1997 * 1997 - 4 * 997 * c)) / (2 * 997);
  return BigInt(Math.floor(root * x));
}

/** The spot price of `asset` in quote units per asset unit (raw reserves scaled by decimals). */
export function pairSpotPrice(
  reserveAsset: bigint,
  reserveQuote: bigint,
  assetDecimals: number,
  quoteDecimals: number,
): number {
  return Number(reserveQuote) / 10 ** quoteDecimals / (Number(reserveAsset) / 10 ** assetDecimals);
}

/**
 * The trade that moves a pair's asset price by `priceRatio` (new / old): a sale of the asset when
 * the ratio is below 1, else a sale of the quote token (a buy of the asset). Returns what goes in
 * and what comes out, in raw units.
 */
export function tradeForPriceRatio(
  reserveAsset: bigint,
  reserveQuote: bigint,
  priceRatio: number,
): { sell: "asset" | "quote"; amountIn: bigint; amountOut: bigint } {
  if (priceRatio < 1) {
    const amountIn = amountToSellForPriceRatio(reserveAsset, priceRatio);
    return { sell: "asset", amountIn, amountOut: uniswapAmountOut(amountIn, reserveAsset, reserveQuote) };
  }
  // Selling quote lowers the quote's price in asset terms by 1 / priceRatio.
  const amountIn = amountToSellForPriceRatio(reserveQuote, 1 / priceRatio);
  return { sell: "quote", amountIn, amountOut: uniswapAmountOut(amountIn, reserveQuote, reserveAsset) };
}
