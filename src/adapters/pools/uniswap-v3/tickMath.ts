/**
 * Uniswap V3 prices in float64. A pool's raw price is token1 wei per token0 wei: `1.0001^tick`,
 * or `(sqrtPriceX96 / 2^96)^2` at the exact current price. In token units it is multiplied by
 * `10^(decimals0 - decimals1)`.
 */

const Q96 = 2 ** 96;

/** Raw price (token1 wei per token0 wei) at a tick. */
export function rawPriceAtTick(tick: number): number {
  return 1.0001 ** tick;
}

/** Raw price (token1 wei per token0 wei) of `slot0.sqrtPriceX96`. */
export function rawPriceOfSqrtX96(sqrtPriceX96: bigint): number {
  const sqrt = Number(sqrtPriceX96) / Q96;
  return sqrt * sqrt;
}

/** The tick offset that multiplies the raw price by `factor` (> 0), rounded away from the current tick. */
export function ticksForFactor(factor: number): number {
  const exact = Math.log(factor) / Math.log(1.0001);
  return exact >= 0 ? Math.ceil(exact) : Math.floor(exact);
}

/** The nearest tick to a raw price (> 0) that is a multiple of `tickSpacing`. */
export function tickNearRawPrice(rawPrice: number, tickSpacing: number): number {
  return Math.round(Math.log(rawPrice) / Math.log(1.0001) / tickSpacing) * tickSpacing;
}

/** `slot0.sqrtPriceX96` of a raw price (> 0), the nearest integer to `sqrt(price) · 2^96`. */
export function sqrtX96OfRawPrice(rawPrice: number): bigint {
  return BigInt(Math.round(Math.sqrt(rawPrice) * Q96));
}
