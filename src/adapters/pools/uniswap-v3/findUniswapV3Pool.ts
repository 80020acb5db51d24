/**
 * Finds the Uniswap V3 pool of a token pair from the factory: `getPool` at every fee tier in one
 * batched request, then each existing pool's in-range liquidity; the deepest one is the pool a
 * liquidator sells into (the model routes a sale through one pool per asset).
 */
import { type Address, zeroAddress } from "viem";
import { uniswapV3FactoryAbi } from "../../../../abis/uniswapV3Factory.js";
import { uniswapV3PoolAbi } from "../../../../abis/uniswapV3Pool.js";
import type { ChainClient } from "../../chain/createChainClient.js";
import { readContractsBatched } from "../../chain/readContractsBatched.js";
import { batchOptionsAt } from "../../protocols/batchOptionsAt.js";
import { mustSucceedFor } from "../../protocols/mustSucceedFor.js";

/** The factory's standard fee tiers, in hundredths of a basis point. */
export const UNISWAP_V3_FEE_TIERS = [100, 500, 3000, 10000] as const;

export interface FindUniswapV3PoolParameters {
  readonly client: ChainClient;
  readonly factory: Address;
  readonly tokenA: Address;
  readonly tokenB: Address;
  readonly blockNumber: bigint;
  readonly batchBytes: number;
  readonly multicallAddress?: Address | undefined;
  readonly feeTiers?: readonly number[] | undefined;
}

const mustSucceed = mustSucceedFor("uniswap-v3 factory");

/** The deepest pool of the pair, or undefined when the factory has none. */
export async function findUniswapV3Pool(
  parameters: FindUniswapV3PoolParameters,
): Promise<Address | undefined> {
  const tiers = parameters.feeTiers ?? UNISWAP_V3_FEE_TIERS;
  const batch = batchOptionsAt(
    {
      client: parameters.client,
      batchBytes: parameters.batchBytes,
      ...(parameters.multicallAddress === undefined ? {} : { multicallAddress: parameters.multicallAddress }),
    },
    parameters.blockNumber,
  );
  const found = await readContractsBatched({
    ...batch,
    calls: tiers.map((fee) => ({
      address: parameters.factory,
      abi: uniswapV3FactoryAbi,
      functionName: "getPool",
      args: [parameters.tokenA, parameters.tokenB, fee],
    })),
  });
  const pools = found
    .map((r, i) => mustSucceed(r, `getPool at fee ${tiers[i]}`) as Address)
    .filter((pool) => pool !== zeroAddress);
  if (pools.length <= 1) return pools[0];
  const depth = await readContractsBatched({
    ...batch,
    calls: pools.map((pool) => ({ address: pool, abi: uniswapV3PoolAbi, functionName: "liquidity" })),
  });
  let best: { pool: Address; liquidity: bigint } | undefined;
  pools.forEach((pool, i) => {
    const liquidity = mustSucceed(depth[i], `liquidity of ${pool}`) as bigint;
    if (best === undefined || liquidity > best.liquidity) best = { pool, liquidity };
  });
  return best?.pool;
}
