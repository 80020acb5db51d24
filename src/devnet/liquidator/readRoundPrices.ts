import type { PublicClient } from "viem";
import { aaveV3OracleAbi } from "../../../abis/aaveV3Oracle.js";
import type { ChainClient } from "../../adapters/chain/createChainClient.js";
import { MULTICALL3_ADDRESS } from "../chain/devnetChain.js";
import { type FeedUpdate, updateDeviationFeeds } from "../oracles/feedKeeper.js";
import { readMarketPricesUsd } from "../oracles/readMarketPricesUsd.js";
import type { CascadeTarget, TargetMainnet } from "./cascadeTarget.js";
import { readOracleReports } from "./readOracleReports.js";
import { readPrices } from "./readPrices.js";

/** The prices a round decides at, USD per unit. */
export interface RoundPrices {
  /** Each asset's market price: its pool's price up the quote tree (spot: its price source, which reads its pair). */
  readonly market: Record<string, number>;
  /** Each asset's own price source (the deployment file's `priceSource.ASSET`). */
  readonly oracle: Record<string, number>;
  /** The prices each Aave market's oracle answers, by market id (`aave-v3:<chain>:<pool>`). */
  readonly aave: ReadonlyMap<string, Record<string, number>>;
  /**
   * What the round reports as its oracle prices: every oracle a market names, by the snapshot's
   * oracle ids (`readOracleReports`).
   */
  readonly reported: Record<string, number>;
  /** What the keeper pushed at the round's start (mainnet). */
  readonly feedUpdates: readonly FeedUpdate[];
}

/** Market prices now: pools up the quote tree on mainnet, the price sources on spot. */
export async function readMarketPrices(
  client: PublicClient,
  target: CascadeTarget,
): Promise<Record<string, number>> {
  if (target.mainnet === undefined) return readPrices(client, target);
  return readMainnetMarketPrices(client, target.chainId, target.mainnet);
}

async function readMainnetMarketPrices(
  client: PublicClient,
  chainId: number,
  mainnet: TargetMainnet,
): Promise<Record<string, number>> {
  return readMarketPricesUsd({
    client: client as ChainClient,
    chainId,
    assets: mainnet.config.assets,
    blockNumber: await client.getBlockNumber({ cacheTime: 0 }),
    multicallAddress: MULTICALL3_ADDRESS,
  });
}

/**
 * A round's prices at its start. Spot: one read of the price sources, which are the market, and
 * every oracle the markets name (`readOracleReports`, each Aave market reading the sources). Mainnet:
 * the pools' prices, then the keeper (`updateDeviationFeeds`, pushing only the feeds whose
 * threshold the pools' prices reach), then what the oracles answer after it: each asset's source,
 * each Aave market's AaveOracle (`getAssetsPrices`, per market since they price USDC apart), and
 * every oracle the markets name (`aaveReserves`: each Aave market's reserves) as reported oracle
 * prices.
 */
export async function readRoundPrices(
  client: PublicClient,
  target: CascadeTarget,
  aaveReserves: ReadonlyMap<string, readonly string[]> = new Map(),
): Promise<RoundPrices> {
  const { mainnet } = target;
  if (mainnet === undefined) {
    const prices = await readPrices(client, target);
    const aave = new Map(target.aaveMarkets.map((market) => [market.marketId, prices]));
    const reported = await readOracleReports({
      client,
      target,
      aavePricesUsd: aave,
      aaveReserves,
      marketPriceUsd: prices,
      blockNumber: await client.getBlockNumber({ cacheTime: 0 }),
    });
    return { market: prices, oracle: prices, aave, reported, feedUpdates: [] };
  }
  const market = await readMainnetMarketPrices(client, target.chainId, mainnet);
  const feedUpdates = await updateDeviationFeeds(target.rpcUrl, client, mainnet.feeds, market);
  const oracle = await readPrices(client, target);
  const aave = new Map<string, Record<string, number>>();
  for (const aaveMarket of target.aaveMarkets) {
    if (aaveMarket.oracle === undefined) {
      aave.set(aaveMarket.marketId, oracle);
      continue;
    }
    const answers = await client.readContract({
      address: aaveMarket.oracle.address,
      abi: aaveV3OracleAbi,
      functionName: "getAssetsPrices",
      args: [target.assets.map((asset) => asset.token)],
    });
    const unit = Number(aaveMarket.oracle.baseUnit);
    aave.set(
      aaveMarket.marketId,
      Object.fromEntries(target.assets.map((asset, k) => [asset.id, Number(answers[k]!) / unit])),
    );
  }
  const reported = await readOracleReports({
    client,
    target,
    aavePricesUsd: aave,
    aaveReserves,
    marketPriceUsd: market,
    blockNumber: await client.getBlockNumber({ cacheTime: 0 }),
  });
  return { market, oracle, aave, reported, feedUpdates };
}
