/**
 * What kind of price source a contract is, from which of the published getters it answers:
 * Aave's exchange-rate adapters name a base feed (`BASE_TO_USD_AGGREGATOR`), its capped-stable
 * adapters an asset feed (`ASSET_TO_USD_AGGREGATOR`); a Chainlink-style aggregator answers
 * `latestRoundData`; anything that only answers a price is taken as a constant.
 */
import type { Address } from "viem";

export interface PriceSourceProbe {
  readonly address: Address;
  readonly baseToUsd?: Address | undefined;
  readonly assetToUsd?: Address | undefined;
  /** `latestRoundData().answer` scaled by `decimals()`, when both answer. */
  readonly roundAnswer?: number | undefined;
  readonly updatedAt?: bigint | undefined;
  /** `decimals()`, when it answers. */
  readonly decimals?: number | undefined;
  readonly description?: string | undefined;
}

export type PriceSourceKind = "exchange-rate" | "capped" | "feed" | "fixed";

export function classifyPriceSource(probe: PriceSourceProbe): PriceSourceKind {
  if (probe.baseToUsd !== undefined) return "exchange-rate";
  if (probe.assetToUsd !== undefined) return "capped";
  if (probe.roundAnswer !== undefined) return "feed";
  return "fixed";
}
