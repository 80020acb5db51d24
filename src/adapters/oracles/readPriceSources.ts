/**
 * Probes price-source contracts in one batched request (the getters `classifyPriceSource`
 * tells kinds apart by; a getter a contract lacks simply fails), then, in a second, the inner
 * feeds the adapters name that were not among them. With the probes of an earlier block, only
 * the rounds are read again.
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
  /**
   * Probes of an earlier block, by lowercase address: what cannot change between blocks (the
   * wrapped feeds, decimals, description) is taken from them, and only `latestRoundData` is read.
   */
  readonly known?: ReadonlyMap<string, PriceSourceProbe> | undefined;
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
  const known = parameters.known ?? new Map<string, PriceSourceProbe>();
  const probe = async (addresses: readonly Address[]): Promise<void> => {
    const earlier = addresses.map((address) => known.get(address.toLowerCase()));
    const results = await readContractsBatched({
      ...batch,
      calls: addresses.flatMap((address, i) =>
        earlier[i] === undefined ? probeCalls(address) : [roundCall(address)],
      ),
      failuresExpected: true,
    });
    let at = 0;
    addresses.forEach((address, i) => {
      const before = earlier[i];
      const probed =
        before === undefined
          ? toProbe(address, results.slice(at, at + PROBES))
          : withRound(before, results[at]);
      at += before === undefined ? PROBES : 1;
      out.set(address.toLowerCase(), probed);
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
    roundCall(address),
    { address, abi: chainlinkAggregatorAbi, functionName: "decimals" },
    { address, abi: chainlinkAggregatorAbi, functionName: "description" },
  ];
}

function roundCall(address: Address): BatchedCall {
  return { address, abi: chainlinkAggregatorAbi, functionName: "latestRoundData" };
}

type Round = readonly [bigint, bigint, bigint, bigint, bigint];

/** `before` with this block's round (its answer scaled by the decimals probed before). */
function withRound(before: PriceSourceProbe, result: BatchedResult | undefined): PriceSourceProbe {
  const round = result?.status === "success" ? (result.result as Round) : undefined;
  return { ...before, ...roundFields(round, before.decimals) };
}

function roundFields(
  round: Round | undefined,
  decimals: number | undefined,
): Pick<PriceSourceProbe, "roundAnswer" | "updatedAt"> {
  return {
    roundAnswer:
      round === undefined || decimals === undefined ? undefined : Number(round[1]) / 10 ** Number(decimals),
    updatedAt: round?.[3],
  };
}

function toProbe(address: Address, results: readonly BatchedResult[]): PriceSourceProbe {
  const ok = (i: number): unknown =>
    results[i]?.status === "success" ? (results[i] as { result: unknown }).result : undefined;
  const addressOrUndefined = (value: unknown): Address | undefined =>
    typeof value === "string" && value !== zeroAddress ? (value as Address) : undefined;
  const decimals = ok(3) as number | undefined;
  return {
    address,
    baseToUsd: addressOrUndefined(ok(0)),
    assetToUsd: addressOrUndefined(ok(1)),
    ...roundFields(ok(2) as Round | undefined, decimals),
    decimals,
    description: ok(4) as string | undefined,
  };
}

function unique(addresses: readonly Address[]): Address[] {
  const seen = new Map<string, Address>();
  for (const a of addresses) if (!seen.has(a.toLowerCase())) seen.set(a.toLowerCase(), a);
  return [...seen.values()];
}
