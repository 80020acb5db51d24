/**
 * The fee-free, k-preserving pair move of docs/cascade-model.md section 2 ("its pool is arbitraged to
 * that price"), realized on a Uniswap V2 pair by its LP holder: burn a share of the liquidity,
 * donate one side, `sync()`. Raw token units (bigint).
 */

export interface FollowMove {
  /** LP tokens the holder sends to the pair and burns. */
  readonly burnLiquidity: bigint;
  /** Which token is minted straight into the pair before `sync()`. */
  readonly donate: "asset" | "quote";
  readonly donateAmount: bigint;
  /** Reserves after `sync()` (what the contract will hold). */
  readonly reserveAsset: bigint;
  readonly reserveQuote: bigint;
}

/** Floor of `value`, exact for bigints up to 2^53 · 2^k: float64 then BigInt of the floor. */
const floorBig = (value: number): bigint => BigInt(Math.floor(value));

/**
 * The burn and donation that move a pair (reserves `x` asset, `y` quote, LP supply `totalSupply`)
 * from price `y/x` to `y/x · priceRatio` while keeping `k = x·y`:
 * - price up: keep the share `t = x'/x` of the liquidity (burn `1 − t`), then donate quote up to
 *   `y' = p'·x_left`;
 * - price down: keep `t = y'/y`, then donate asset up to `x' = y_left / p'`;
 * with `x' = sqrt(k/p')`, `y' = sqrt(k·p')`.
 * Rounding: the burned liquidity is rounded down, and the pair pays the burn out rounded down as
 * Uniswap V2 does (computed here the same way), so the kept side ends within one unit (plus one LP
 * unit's worth) of its target; the donation is rounded to the nearest unit, so the new price is
 * exact to one unit of the donated side and `k` to one unit of the kept side.
 * Returns undefined when the move is below what a burn can express (|ratio − 1| < 1e-12).
 */
export function followMove(
  reserveAsset: bigint,
  reserveQuote: bigint,
  totalSupply: bigint,
  priceRatio: number,
): FollowMove | undefined {
  if (!(priceRatio > 0) || Math.abs(priceRatio - 1) < 1e-12) return undefined;
  const x = Number(reserveAsset);
  const y = Number(reserveQuote);
  const priceRaw = (y / x) * priceRatio;
  const k = x * y;
  const up = priceRatio > 1;
  // Share of the liquidity kept: x'/x going up, y'/y going down.
  const kept = up ? Math.sqrt(k / priceRaw) / x : Math.sqrt(k * priceRaw) / y;
  const keptLiquidity = floorBig(Number(totalSupply) * kept);
  const burnLiquidity = totalSupply - (keptLiquidity > totalSupply ? totalSupply : keptLiquidity);
  if (burnLiquidity <= 0n) return undefined;
  const assetLeft = reserveAsset - (burnLiquidity * reserveAsset) / totalSupply;
  const quoteLeft = reserveQuote - (burnLiquidity * reserveQuote) / totalSupply;
  if (up) {
    const quoteTarget = BigInt(Math.round(priceRaw * Number(assetLeft)));
    const donateAmount = quoteTarget > quoteLeft ? quoteTarget - quoteLeft : 0n;
    return {
      burnLiquidity,
      donate: "quote",
      donateAmount,
      reserveAsset: assetLeft,
      reserveQuote: quoteLeft + donateAmount,
    };
  }
  const assetTarget = BigInt(Math.round(Number(quoteLeft) / priceRaw));
  const donateAmount = assetTarget > assetLeft ? assetTarget - assetLeft : 0n;
  return {
    burnLiquidity,
    donate: "asset",
    donateAmount,
    reserveAsset: assetLeft + donateAmount,
    reserveQuote: quoteLeft,
  };
}
