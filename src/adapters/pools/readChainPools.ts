/**
 * Reads every pool the config names on one chain: Uniswap V2 pairs (reserves) and Uniswap V3
 * pools (ranges within the window), finding a V3 pool through its factory when the config gives
 * only the factory; a found pool is remembered in `found` (keyed by asset id) for the next block.
 */
import type { Address } from "viem";
import type { AssetConfig } from "../../config/schema/assets.js";
import { UserInputError } from "../../core/errors.js";
import type { ChainClient } from "../chain/createChainClient.js";
import { readUniswapV2Pools } from "../prices/readUniswapV2Pools.js";
import type { PoolReading } from "./PoolReading.js";
import { findUniswapV3Pool } from "./uniswap-v3/findUniswapV3Pool.js";
import { readUniswapV3Pool } from "./uniswap-v3/readUniswapV3Pool.js";

export interface ReadChainPoolsParameters {
  readonly client: ChainClient;
  readonly chainId: number;
  readonly assets: readonly AssetConfig[];
  readonly blockNumber: bigint;
  readonly batchBytes: number;
  readonly multicallAddress?: Address | undefined;
  readonly found: Map<string, Address>;
  /** Uniswap V2 pair tokens' decimals read before (see `readUniswapV2Pools`). */
  readonly pairDecimals?: Map<string, number>;
}

export async function readChainPools(parameters: ReadChainPoolsParameters): Promise<PoolReading[]> {
  const { chainId } = parameters;
  const common = {
    client: parameters.client,
    blockNumber: parameters.blockNumber,
    batchBytes: parameters.batchBytes,
    ...(parameters.multicallAddress === undefined ? {} : { multicallAddress: parameters.multicallAddress }),
  };
  const byId = new Map(parameters.assets.map((a) => [a.id, a]));
  const v3 = parameters.assets.flatMap((asset, index) =>
    asset.liquidity.kind === "uniswap-v3" && asset.liquidity.chain === chainId
      ? [{ asset, index, liquidity: asset.liquidity }]
      : [],
  );
  const [pairs, concentrated] = await Promise.all([
    readUniswapV2Pools({
      ...common,
      chainId,
      assets: parameters.assets,
      ...(parameters.pairDecimals === undefined ? {} : { decimals: parameters.pairDecimals }),
    }),
    Promise.all(
      v3.map(async ({ asset, index, liquidity }): Promise<PoolReading> => {
        const own = asset.tokens[String(chainId)];
        const quoteToken = byId.get(liquidity.quote)?.tokens[String(chainId)];
        if (own === undefined || quoteToken === undefined)
          throw new UserInputError(
            `assets[${index}].liquidity: ${asset.id} and ${liquidity.quote} both need tokens["${chainId}"]`,
          );
        let pool = liquidity.pool ?? parameters.found.get(asset.id);
        if (pool === undefined) {
          pool = await findUniswapV3Pool({
            ...common,
            factory: liquidity.factory!,
            tokenA: own,
            tokenB: quoteToken,
          });
          if (pool === undefined)
            throw new UserInputError(
              `assets[${index}].liquidity.factory: no Uniswap V3 pool of ${asset.id}/${liquidity.quote} at any fee tier`,
            );
          parameters.found.set(asset.id, pool);
        }
        const reading = await readUniswapV3Pool({
          ...common,
          pool,
          assetToken: own,
          quoteToken,
          windowPct: liquidity.windowPct,
        });
        return {
          kind: "concentrated",
          asset: asset.id,
          quote: liquidity.quote,
          pool,
          price: reading.price,
          ranges: reading.ranges,
          feeBps: reading.feeBps,
          decimals: reading.assetDecimals,
        };
      }),
    ),
  ]);
  return [...pairs.map((p): PoolReading => ({ kind: "pair", ...p })), ...concentrated];
}
