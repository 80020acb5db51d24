import type { Address } from "viem";
import type { ChainClient } from "../../adapters/chain/createChainClient.js";
import { poolPrice } from "../../adapters/pools/PoolReading.js";
import { readChainPools } from "../../adapters/pools/readChainPools.js";
import type { AssetConfig } from "../../config/schema/assets.js";
import { FatalError } from "../../core/errors.js";

export interface ReadMarketPricesUsdParameters {
  readonly client: ChainClient;
  readonly chainId: number;
  /** The deployment file's assets, parsed (their pools and quotes). */
  readonly assets: readonly AssetConfig[];
  readonly blockNumber: bigint;
  readonly multicallAddress?: Address | undefined;
}

/**
 * Every asset's market price in USD at one block, read from its pool by the indexer's pool
 * reader: the pool's price in its quote times the quote's own price, up the quote tree
 * (wstETH = wstETH/WETH pool × WETH/USDC pool); an asset without a pool (USDC) is $1.
 */
export async function readMarketPricesUsd(
  parameters: ReadMarketPricesUsdParameters,
): Promise<Record<string, number>> {
  const pools = await readChainPools({
    client: parameters.client,
    chainId: parameters.chainId,
    assets: parameters.assets,
    blockNumber: parameters.blockNumber,
    batchBytes: 200_000,
    multicallAddress: parameters.multicallAddress,
    found: new Map(),
  });
  const byAsset = new Map(pools.map((pool) => [pool.asset, pool]));
  const prices: Record<string, number> = {};
  const priceOf = (asset: string, depth: number): number => {
    const known = prices[asset];
    if (known !== undefined) return known;
    if (depth > parameters.assets.length) throw new FatalError(`devnet: the quote tree loops at ${asset}`);
    const pool = byAsset.get(asset);
    const price = pool === undefined ? 1 : poolPrice(pool) * priceOf(pool.quote, depth + 1);
    prices[asset] = price;
    return price;
  };
  for (const asset of parameters.assets) priceOf(asset.id, 0);
  return prices;
}
