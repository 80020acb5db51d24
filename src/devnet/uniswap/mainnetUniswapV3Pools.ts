import type { UniswapV3PoolSpec } from "./deployUniswapV3.js";

/**
 * The mainnet profile's Uniswap V3 pools, shaped like mainnet's: most liquidity within about 1% of
 * the price, thinner ranges further out, and gaps between ranges (prices where a sale moves the
 * price without trading). Bounds are factors of the starting price; values are USD at that price.
 * WETH trades against USDC at 5 bp, the LST against WETH at 1 bp (not against USD); WBTC keeps
 * its Uniswap V2 pair against USDC, so both pool kinds stay covered.
 */
export const MAINNET_UNISWAP_V3_POOLS: readonly UniswapV3PoolSpec[] = [
  {
    asset: "WETH",
    quote: "USDC",
    fee: 500,
    ranges: [
      { lower: 0.99, upper: 1.01, valueUsd: 30_000_000 },
      { lower: 0.95, upper: 0.985, valueUsd: 8_000_000 },
      { lower: 1.015, upper: 1.05, valueUsd: 8_000_000 },
      { lower: 0.8, upper: 0.93, valueUsd: 4_000_000 },
      { lower: 1.07, upper: 1.25, valueUsd: 4_000_000 },
      { lower: 0.55, upper: 0.75, valueUsd: 1_500_000 },
    ],
  },
  {
    asset: "wstETH",
    quote: "WETH",
    fee: 100,
    ranges: [
      { lower: 0.997, upper: 1.003, valueUsd: 12_000_000 },
      { lower: 0.98, upper: 0.995, valueUsd: 2_000_000 },
      { lower: 1.005, upper: 1.02, valueUsd: 2_000_000 },
      { lower: 0.9, upper: 0.97, valueUsd: 500_000 },
    ],
  },
];
