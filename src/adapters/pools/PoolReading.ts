/** What a chain says of the pool an asset's liquidator sells into, in token units. */
import type { ConcentratedRange } from "./uniswap-v3/concentratedRanges.js";

export type PoolReading =
  /** A constant-product pair (Uniswap V2). */
  | {
      readonly kind: "pair";
      readonly asset: string;
      readonly quote: string;
      readonly reserveAsset: number;
      readonly reserveQuote: number;
      readonly feeBps: number;
      readonly decimals: number;
    }
  /** A Uniswap V3 pool's ranges within its read window. */
  | {
      readonly kind: "concentrated";
      readonly asset: string;
      readonly quote: string;
      readonly pool: string;
      /** Quote units per asset unit. */
      readonly price: number;
      readonly ranges: readonly ConcentratedRange[];
      readonly feeBps: number;
      readonly decimals: number;
    };

/** Quote units per asset unit. */
export function poolPrice(pool: PoolReading): number {
  return pool.kind === "pair" ? pool.reserveQuote / pool.reserveAsset : pool.price;
}
