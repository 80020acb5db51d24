/**
 * Reads a Morpho Blue market's oracle. One batched request asks the `MorphoChainlinkOracleV2`
 * getters and `price()`; when the getters answer, a second reads the feeds they name (answer,
 * decimals, description). An oracle of another shape is kept as its price alone. With the shape
 * read at an earlier block, one round reads `price()` and the feeds' rounds.
 */
import { type Address, zeroAddress } from "viem";
import { morphoChainlinkOracleV2Abi } from "../../../abis/morphoChainlinkOracleV2.js";
import { TransientError } from "../../core/errors.js";
import type { ChainClient } from "../chain/createChainClient.js";
import { readContractsBatched } from "../chain/readContractsBatched.js";
import { batchOptionsAt } from "../protocols/batchOptionsAt.js";
import type { PriceSourceProbe } from "./classifyPriceSource.js";
import { readPriceSources } from "./readPriceSources.js";

export interface MorphoOracleShape {
  readonly oracle: Address;
  /** `price()`: loan wei per collateral wei, scaled by 1e36. */
  readonly price: bigint;
  /** False when the oracle is not shaped like MorphoChainlinkOracleV2. */
  readonly decomposed: boolean;
  readonly baseFeeds: readonly PriceSourceProbe[];
  readonly quoteFeeds: readonly PriceSourceProbe[];
  readonly baseVault: Address | undefined;
  readonly quoteVault: Address | undefined;
}

export interface ReadMorphoOracleParameters {
  readonly client: ChainClient;
  readonly oracles: readonly Address[];
  readonly blockNumber: bigint;
  readonly batchBytes: number;
  readonly multicallAddress?: Address | undefined;
  /**
   * Shapes read at an earlier block, by lowercase oracle address: their getters are immutables,
   * so only `price()` and the feeds' rounds are read again, all in one round.
   */
  readonly known?: ReadonlyMap<string, MorphoOracleShape> | undefined;
}

const GETTERS = [
  "BASE_VAULT",
  "QUOTE_VAULT",
  "BASE_FEED_1",
  "BASE_FEED_2",
  "QUOTE_FEED_1",
  "QUOTE_FEED_2",
  "price",
] as const;

/** Shapes by lowercase oracle address. */
export async function readMorphoOracles(
  parameters: ReadMorphoOracleParameters,
): Promise<Map<string, MorphoOracleShape>> {
  const settings = {
    client: parameters.client,
    batchBytes: parameters.batchBytes,
    ...(parameters.multicallAddress === undefined ? {} : { multicallAddress: parameters.multicallAddress }),
  };
  const earlier = parameters.oracles.map((oracle) => parameters.known?.get(oracle.toLowerCase()));
  const knownFeeds = earlier.flatMap((shape) =>
    shape === undefined ? [] : [...shape.baseFeeds, ...shape.quoteFeeds],
  );
  // Per oracle, where its answers start: a known shape asks `price()` alone.
  const offsets: number[] = [];
  const calls = parameters.oracles.flatMap((address, i) => {
    const getters = earlier[i] === undefined ? GETTERS : (["price"] as const);
    offsets.push(i === 0 ? 0 : offsets[i - 1]! + (earlier[i - 1] === undefined ? GETTERS.length : 1));
    return getters.map((functionName) => ({ address, abi: morphoChainlinkOracleV2Abi, functionName }));
  });
  const [results, knownProbes] = await Promise.all([
    readContractsBatched({
      ...batchOptionsAt(settings, parameters.blockNumber),
      calls,
      failuresExpected: true,
    }),
    knownFeeds.length === 0
      ? new Map<string, PriceSourceProbe>()
      : readPriceSources({
          ...settings,
          sources: knownFeeds.map((p) => p.address),
          blockNumber: parameters.blockNumber,
          known: new Map(knownFeeds.map((p) => [p.address.toLowerCase(), p])),
        }),
  ]);
  const raw = parameters.oracles.map((oracle, i) => {
    const shape = earlier[i];
    const at = offsets[i]!;
    const value = (j: number): unknown => {
      const r = results[at + j];
      return r?.status === "success" ? r.result : undefined;
    };
    const priceAt = shape === undefined ? 6 : 0;
    const price = value(priceAt);
    if (typeof price !== "bigint")
      throw new TransientError(`morpho-blue: price() of oracle ${oracle} failed`, {
        cause: (results[at + priceAt] as { error?: unknown } | undefined)?.error,
      });
    if (shape !== undefined)
      return {
        oracle,
        price,
        decomposed: shape.decomposed,
        baseVault: shape.baseVault,
        quoteVault: shape.quoteVault,
        base: shape.baseFeeds.map((p) => p.address),
        quote: shape.quoteFeeds.map((p) => p.address),
      };
    const addresses = [0, 1, 2, 3, 4, 5].map((j) => value(j) as Address | undefined);
    const decomposed = addresses.every((a) => typeof a === "string");
    const present = (a: Address | undefined): Address | undefined =>
      a === undefined || a === zeroAddress ? undefined : a;
    return {
      oracle,
      price,
      decomposed,
      baseVault: present(addresses[0]),
      quoteVault: present(addresses[1]),
      base: [addresses[2], addresses[3]].map(present).filter((a): a is Address => a !== undefined),
      quote: [addresses[4], addresses[5]].map(present).filter((a): a is Address => a !== undefined),
    };
  });
  // Feeds of oracles read whole now: probed in a second round.
  const feeds = raw.flatMap((r) =>
    r.decomposed ? [...r.base, ...r.quote].filter((a) => !knownProbes.has(a.toLowerCase())) : [],
  );
  const probes = new Map(knownProbes);
  if (feeds.length > 0)
    for (const [address, probe] of await readPriceSources({
      ...settings,
      sources: feeds,
      blockNumber: parameters.blockNumber,
    }))
      probes.set(address, probe);
  const probeOf = (a: Address): PriceSourceProbe => probes.get(a.toLowerCase()) ?? { address: a };
  return new Map(
    raw.map((r) => [
      r.oracle.toLowerCase(),
      {
        oracle: r.oracle,
        price: r.price,
        decomposed: r.decomposed,
        baseFeeds: r.decomposed ? r.base.map(probeOf) : [],
        quoteFeeds: r.decomposed ? r.quote.map(probeOf) : [],
        baseVault: r.baseVault,
        quoteVault: r.quoteVault,
      },
    ]),
  );
}
