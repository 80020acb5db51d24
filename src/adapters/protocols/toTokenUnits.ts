import { formatUnits } from "viem";

/**
 * The one conversion from on-chain integers to snapshot token units: exact decimal string by
 * `formatUnits`, then the nearest float64 (`Number`), so the last unit survives up to 2^53 wei.
 */
export function toTokenUnits(amount: bigint, decimals: number): number {
  return Number(formatUnits(amount, decimals));
}
