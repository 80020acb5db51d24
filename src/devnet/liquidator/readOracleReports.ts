import type { PublicClient } from "viem";
import type { ChainClient } from "../../adapters/chain/createChainClient.js";
import { composeOracleReadings } from "../../adapters/oracles/composeOracleReadings.js";
import { type PricedSource, priceSourceReadings } from "../../adapters/oracles/priceSourceReadings.js";
import { readMorphoOracles } from "../../adapters/oracles/readMorphoOracle.js";
import { readPriceSources } from "../../adapters/oracles/readPriceSources.js";
import { toOracleSpecs } from "../../adapters/oracles/toOracleSpecs.js";
import { AssetRegistry } from "../../adapters/protocols/AssetRegistry.js";
import type { MarketsReading, MorphoOracleInput } from "../../adapters/protocols/ProtocolIndexer.js";
import { MULTICALL3_ADDRESS } from "../chain/devnetChain.js";
import type { CascadeTarget } from "./cascadeTarget.js";

/** Calldata bytes per multicall chunk: the devnet node's call gas cap is never near. */
const BATCH_BYTES = 200_000;

export interface ReadOracleReportsParameters {
  readonly client: PublicClient;
  readonly target: CascadeTarget;
  /** Each Aave market's AaveOracle answers (`getAssetsPrices`), USD per unit, by market id. */
  readonly aavePricesUsd: ReadonlyMap<string, Readonly<Record<string, number>>>;
  /** Each Aave market's reserves (asset ids), by market id. */
  readonly aaveReserves: ReadonlyMap<string, readonly string[]>;
  /** Market prices now (an oracle that is an asset's own id reports its market price). */
  readonly marketPriceUsd: Readonly<Record<string, number>>;
  readonly blockNumber: bigint;
}

/**
 * What every oracle a market names reports now, by the snapshot's oracle ids, read from chain the
 * way the indexers read them: each Aave reserve's price source probed and classified
 * (`readPriceSources`, `priceSourceReadings`: feeds, exchange-rate adapters, fixed prices), each
 * Morpho oracle read back into its parts (`readMorphoOracles`) and decomposed against those feeds
 * (`composeOracleReadings`), and each reading's report at the market prices (`toOracleSpecs`).
 * A Morpho market's collateral oracle reports its `price()` ratio times its loan oracle's report.
 */
export async function readOracleReports(
  parameters: ReadOracleReportsParameters,
): Promise<Record<string, number>> {
  const { target, blockNumber } = parameters;
  const client = parameters.client as ChainClient;
  const batch = { client, blockNumber, batchBytes: BATCH_BYTES, multicallAddress: MULTICALL3_ADDRESS };
  const tokenOf = new Map(target.assets.map((asset) => [asset.id, asset.token]));
  const decimalsOf = new Map(target.assets.map((asset) => [asset.id, asset.decimals]));
  const priceSourceOf = new Map(target.assets.map((asset) => [asset.id, asset.priceSource]));

  // Deviation thresholds as the indexers take them (the config's `oracleDeviation`): such a feed reports its answer.
  const registry = new AssetRegistry(target.mainnet?.config.assets ?? []);
  const pricedByMarket: Array<[string, PricedSource[]]> = [];
  for (const market of target.aaveMarkets) {
    const answers = parameters.aavePricesUsd.get(market.marketId);
    if (answers === undefined) continue;
    const priced: PricedSource[] = [];
    for (const asset of parameters.aaveReserves.get(market.marketId) ?? []) {
      // Spot: every market reads the asset's own price source.
      const source = market.oracle?.sources[asset] ?? priceSourceOf.get(asset);
      const priceUsd = answers[asset];
      if (source === undefined || priceUsd === undefined || !(priceUsd > 0)) continue;
      priced.push({ asset, token: tokenOf.get(asset)!, source, priceUsd });
    }
    pricedByMarket.push([market.marketId, priced]);
  }
  const morphoMarkets = target.morpho?.markets ?? [];
  const [probes, shapes] = await Promise.all([
    readPriceSources({
      ...batch,
      sources: pricedByMarket.flatMap(([, priced]) => priced.map((p) => p.source)),
    }),
    morphoMarkets.length === 0
      ? undefined
      : readMorphoOracles({ ...batch, oracles: [...new Set(morphoMarkets.map((m) => m.params.oracle))] }),
  ]);

  const readings: Array<Pick<MarketsReading, "oracles" | "marketOracles" | "morphoOracles">> = [];
  for (const [marketId, priced] of pricedByMarket) {
    const sourced = priceSourceReadings(target.chainId, priced, probes, (asset) =>
      registry.deviationOf(asset),
    );
    readings.push({
      oracles: sourced.readings,
      marketOracles: new Map([
        [marketId, { kind: "per-asset", byAsset: Object.fromEntries(sourced.oracleOf) }],
      ]),
    });
  }
  const morphoOracles: MorphoOracleInput[] = [];
  for (const market of morphoMarkets) {
    const shape = shapes?.get(market.params.oracle.toLowerCase());
    if (shape === undefined || shape.price === 0n) continue;
    morphoOracles.push({
      chainId: target.chainId,
      marketId: market.marketId,
      shape,
      collateral: market.collateral,
      loan: market.loan,
      collateralDecimals: decimalsOf.get(market.collateral)!,
      loanDecimals: decimalsOf.get(market.loan)!,
    });
  }
  readings.push({ morphoOracles });

  const composed = composeOracleReadings(readings);
  const specs = toOracleSpecs(composed.readings, (asset) => parameters.marketPriceUsd[asset]);
  const named = new Set<string>();
  for (const oracles of composed.marketOracles.values()) {
    if (oracles.kind === "morpho-blue") {
      named.add(oracles.collateralOracle);
      named.add(oracles.loanOracle);
    } else for (const id of Object.values(oracles.byAsset)) named.add(id);
  }
  const reports: Record<string, number> = {};
  for (const id of [...named].sort()) {
    const report = specs.reportedUsdOf(id);
    if (report !== undefined) reports[id] = report;
  }
  return reports;
}
