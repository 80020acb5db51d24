import type { PublicClient } from "viem";
import { chainlinkAggregatorAbi } from "../../../abis/chainlinkAggregator.js";
import type { CascadeTarget } from "./cascadeTarget.js";

/** USD price of every asset from its price source (8 decimals; the value both protocols read). */
export async function readPrices(
  client: PublicClient,
  target: CascadeTarget,
): Promise<Record<string, number>> {
  const answers = await client.multicall({
    allowFailure: false,
    contracts: target.assets.map((asset) => ({
      address: asset.priceSource,
      abi: chainlinkAggregatorAbi,
      functionName: "latestAnswer" as const,
    })),
  });
  const prices: Record<string, number> = {};
  target.assets.forEach((asset, k) => {
    prices[asset.id] = Number(answers[k]!) / 1e8;
  });
  return prices;
}
