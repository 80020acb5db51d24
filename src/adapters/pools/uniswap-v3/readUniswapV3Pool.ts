/**
 * Reads one Uniswap V3 pool into `concentrated` ranges of `asset` against `quote`, in three
 * batched requests whatever the window: the pool's head (tokens, fee, spacing, price, in-range
 * liquidity) with both tokens' decimals, the bitmap words covering the price window, then the
 * `liquidityNet` of every initialized tick in it.
 */
import type { Address } from "viem";
import { erc20Abi } from "../../../../abis/erc20.js";
import { uniswapV3PoolAbi } from "../../../../abis/uniswapV3Pool.js";
import { UserInputError } from "../../../core/errors.js";
import type { ChainClient } from "../../chain/createChainClient.js";
import { readContractsBatched } from "../../chain/readContractsBatched.js";
import { batchOptionsAt } from "../../protocols/batchOptionsAt.js";
import { mustSucceedFor } from "../../protocols/mustSucceedFor.js";
import { type ConcentratedRange, concentratedRanges } from "./concentratedRanges.js";
import { ticksOfWord, wordsBetween } from "./tickBitmap.js";
import { ticksForFactor } from "./tickMath.js";

export interface ReadUniswapV3PoolParameters {
  readonly client: ChainClient;
  readonly pool: Address;
  readonly assetToken: Address;
  readonly quoteToken: Address;
  readonly blockNumber: bigint;
  readonly batchBytes: number;
  readonly multicallAddress?: Address | undefined;
  /** Ticks are read for prices within this fraction of the current one (0.5 = ±50%). */
  readonly windowPct?: number | undefined;
}

export interface UniswapV3PoolReading {
  readonly pool: Address;
  /** Quote units per asset unit. */
  readonly price: number;
  readonly ranges: ConcentratedRange[];
  readonly feeBps: number;
  readonly assetDecimals: number;
  readonly quoteDecimals: number;
  /** Initialized ticks read inside the window. */
  readonly initializedTicks: number;
}

const MIN_TICK = -887272;
const MAX_TICK = 887272;
const mustSucceed = mustSucceedFor("uniswap-v3");

export async function readUniswapV3Pool(
  parameters: ReadUniswapV3PoolParameters,
): Promise<UniswapV3PoolReading> {
  const { pool, assetToken, quoteToken, blockNumber } = parameters;
  const batch = batchOptionsAt(
    {
      client: parameters.client,
      batchBytes: parameters.batchBytes,
      ...(parameters.multicallAddress === undefined ? {} : { multicallAddress: parameters.multicallAddress }),
    },
    blockNumber,
  );
  const at = { address: pool, abi: uniswapV3PoolAbi } as const;
  const head = await readContractsBatched({
    ...batch,
    calls: [
      { ...at, functionName: "token0" },
      { ...at, functionName: "token1" },
      { ...at, functionName: "fee" },
      { ...at, functionName: "tickSpacing" },
      { ...at, functionName: "liquidity" },
      { ...at, functionName: "slot0" },
      { address: assetToken, abi: erc20Abi, functionName: "decimals" },
      { address: quoteToken, abi: erc20Abi, functionName: "decimals" },
    ],
  });
  const names = ["token0", "token1", "fee", "tickSpacing", "liquidity", "slot0", "decimals", "decimals"];
  const value = (i: number): unknown => mustSucceed(head[i], `${names[i]} of ${pool}`);
  const token0 = (value(0) as Address).toLowerCase();
  const token1 = (value(1) as Address).toLowerCase();
  const fee = Number(value(2));
  const tickSpacing = Number(value(3));
  const liquidity = value(4) as bigint;
  const [sqrtPriceX96, tickRaw] = value(5) as readonly [bigint, number];
  const assetDecimals = Number(value(6));
  const quoteDecimals = Number(value(7));
  const asset = assetToken.toLowerCase();
  const quote = quoteToken.toLowerCase();
  const assetIsToken0 = asset === token0 && quote === token1;
  if (!assetIsToken0 && !(asset === token1 && quote === token0))
    throw new UserInputError(`uniswap-v3 pool ${pool} does not trade ${assetToken} against ${quoteToken}`);
  const tick = Number(tickRaw);

  const w = parameters.windowPct ?? 0.5;
  // Raw price is token1 per token0: an asset that is token1 moves the other way.
  const [lowFactor, highFactor] = assetIsToken0 ? [1 - w, 1 + w] : [1 / (1 + w), w < 1 ? 1 / (1 - w) : 0];
  const lowerTick = lowFactor > 0 ? Math.max(MIN_TICK, tick + ticksForFactor(lowFactor)) : MIN_TICK;
  const upperTick = highFactor > 0 ? Math.min(MAX_TICK, tick + ticksForFactor(highFactor)) : MAX_TICK;

  const words = wordsBetween(lowerTick, upperTick, tickSpacing);
  const bitmaps = await readContractsBatched({
    ...batch,
    calls: words.map((word) => ({ ...at, functionName: "tickBitmap", args: [word] })),
  });
  const initialized = words
    .flatMap((word, i) =>
      ticksOfWord(word, mustSucceed(bitmaps[i], `tickBitmap(${word})`) as bigint, tickSpacing),
    )
    .filter((t) => t >= lowerTick && t <= upperTick);
  const tickResults = await readContractsBatched({
    ...batch,
    calls: initialized.map((t) => ({ ...at, functionName: "ticks", args: [t] })),
  });
  const liquidityNet = new Map<number, bigint>();
  initialized.forEach((t, i) => {
    const [, net] = mustSucceed(tickResults[i], `ticks(${t})`) as readonly [bigint, bigint];
    liquidityNet.set(t, net);
  });
  const reading = concentratedRanges({
    state: {
      sqrtPriceX96,
      tick,
      liquidity,
      liquidityNet,
      decimals0: assetIsToken0 ? assetDecimals : quoteDecimals,
      decimals1: assetIsToken0 ? quoteDecimals : assetDecimals,
    },
    assetIsToken0,
    lowerTick,
    upperTick,
    pool,
  });
  return {
    pool,
    price: reading.price,
    ranges: reading.ranges,
    feeBps: fee / 100,
    assetDecimals,
    quoteDecimals,
    initializedTicks: initialized.length,
  };
}
