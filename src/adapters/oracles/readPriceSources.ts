/**
 * Probes price-source contracts in one batched request (the getters `classifyPriceSource`
 * tells kinds apart by; a getter a contract lacks simply fails), then, in a second, the inner
 * feeds the adapters name that were not among them.
 */
import { type Address, zeroAddress } from "viem";
import { aavePriceCapAdapterAbi } from "../../../abis/aavePriceCapAdapter.js";
import { chainlinkAggregatorAbi } from "../../../abis/chainlinkAggregator.js";
import type { ChainClient } from "../chain/createChainClient.js";
import { type BatchedCall, type BatchedResult, readContractsBatched } from "../chain/readContractsBatched.js";
import { batchOptionsAt } from "../protocols/batchOptionsAt.js";
import type { PriceSourceProbe } from "./classifyPriceSource.js";

export interface ReadPriceSourcesParameters {
  readonly client: ChainClient;
  readonly sources: readonly Address[];
  readonly blockNumber: bigint;
  readonly batchBytes: number;
  readonly multicallAddress?: Address | undefined;
}

const PROBES = 5;

/** Probes by lowercase address, for `sources` and the feeds their adapters wrap. */
export async function readPriceSources(
  parameters: ReadPriceSourcesParameters,
): Promise<Map<string, PriceSourceProbe>> {
  const batch = batchOptionsAt(
    {
      client: parameters.client,
      batchBytes: parameters.batchBytes,
      ...(parameters.multicallAddress === undefined ? {} : { multicallAddress: parameters.multicallAddress }),
    },
    parameters.blockNumber,
  );
  const out = new Map<string, PriceSourceProbe>();
  const probe = async (addresses: readonly Address[]): Promise<void> => {
    const results = await readContractsBatched({
      ...batch,
      calls: addresses.flatMap(probeCalls),
      failuresExpected: true,
    });
    addresses.forEach((address, i) => {
      out.set(address.toLowerCase(), toProbe(address, results.slice(i * PROBES, (i + 1) * PROBES)));
    });
  };
  const first = unique(parameters.sources.filter((s) => s !== zeroAddress));
  await probe(first);
  const inner = unique(
    [...out.values()]
      .flatMap((p) => [p.baseToUsd, p.assetToUsd])
      .filter((a): a is Address => a !== undefined && !out.has(a.toLowerCase())),
  );
  if (inner.length > 0) await probe(inner);
  return out;
}

function probeCalls(address: Address): BatchedCall[] {
  return [
    { address, abi: aavePriceCapAdapterAbi, functionName: "BASE_TO_USD_AGGREGATOR" },
    { address, abi: aavePriceCapAdapterAbi, functionName: "ASSET_TO_USD_AGGREGATOR" },
    { address, abi: chainlinkAggregatorAbi, functionName: "latestRoundData" },
    { address, abi: chainlinkAggregatorAbi, functionName: "decimals" },
    { address, abi: chainlinkAggregatorAbi, functionName: "description" },
  ];
}

function toProbe(address: Address, results: readonly BatchedResult[]): PriceSourceProbe {
  const ok = (i: number): unknown =>
    results[i]?.status === "success" ? (results[i] as { result: unknown }).result : undefined;
  const addressOrUndefined = (value: unknown): Address | undefined =>
    typeof value === "string" && value !== zeroAddress ? (value as Address) : undefined;
  const round = ok(2) as readonly [bigint, bigint, bigint, bigint, bigint] | undefined;
  const decimals = ok(3) as number | undefined;
  return {
    address,
    baseToUsd: addressOrUndefined(ok(0)),
    assetToUsd: addressOrUndefined(ok(1)),
    roundAnswer:
      round === undefined || decimals === undefined ? undefined : Number(round[1]) / 10 ** Number(decimals),
    updatedAt: round?.[3],
    description: ok(4) as string | undefined,
  };
}

function unique(addresses: readonly Address[]): Address[] {
  const seen = new Map<string, Address>();
  for (const a of addresses) if (!seen.has(a.toLowerCase())) seen.set(a.toLowerCase(), a);
  return [...seen.values()];
}
