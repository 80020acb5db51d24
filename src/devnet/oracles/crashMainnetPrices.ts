import { type Address, encodeFunctionData, maxUint256, type PublicClient } from "viem";
import { erc20Abi } from "../../../abis/erc20.js";
import { mintableErc20Abi } from "../../../abis/mintableErc20.js";
import { uniswapV3PoolAbi } from "../../../abis/uniswapV3Pool.js";
import { uniswapV3SwapRouterAbi } from "../../../abis/uniswapV3SwapRouter.js";
import type { ChainClient } from "../../adapters/chain/createChainClient.js";
import { sqrtX96OfRawPrice } from "../../adapters/pools/uniswap-v3/tickMath.js";
import type { AssetConfig } from "../../config/schema/assets.js";
import { FatalError, UserInputError } from "../../core/errors.js";
import { MULTICALL3_ADDRESS } from "../chain/devnetChain.js";
import { DEVNET_SHOCK_TRADER } from "../crash.js";
import {
  type BatchCall,
  prepareDevnetActor,
  sendCallsInOneBlock,
} from "../liquidator/sendCallsInOneBlock.js";
import { type PairAsset, pairMoveCalls } from "../liquidator/tradeRound.js";
import type { UniswapV3PoolDeployment } from "../uniswap/deployUniswapV3.js";
import { type FeedUpdate, updateDeviationFeeds } from "./feedKeeper.js";
import { readMarketPricesUsd } from "./readMarketPricesUsd.js";

/** The parts of a mainnet-profile devnet the shock trades and pushes. */
export interface MainnetCrashParts {
  readonly uniswapV3?: {
    readonly swapRouter: Address;
    readonly pools: Readonly<Record<string, UniswapV3PoolDeployment>>;
  };
  /** The Uniswap V2 pairs against the quote asset (WBTC's on the mainnet profile), by asset. */
  readonly uniswap?: { readonly pairs: Readonly<Record<string, Address>> };
  readonly tokens: Readonly<Record<string, { readonly address: Address; readonly decimals: number }>>;
  readonly oracles?: { readonly feeds: Readonly<Record<string, { readonly address: Address }>> };
}

export interface CrashMainnetPricesOptions {
  readonly rpcUrl: string;
  readonly client: ChainClient;
  readonly chainId: number;
  /** The devnet's V3 pools and router, tokens and feeds (a `DevnetDeployment` has them). */
  readonly deployment: MainnetCrashParts;
  /** The deployment file's assets, parsed (their pools and quotes). */
  readonly assets: readonly AssetConfig[];
  /** `{ WETH: -0.2 }`: the asset's price in its pool's quote moves by that fraction. */
  readonly shock: Readonly<Record<string, number>>;
}

export interface MainnetCrash {
  /** Market prices (USD) before and after the sales. */
  readonly before: Record<string, number>;
  readonly after: Record<string, number>;
  /** What the keeper pushed at the new prices. */
  readonly feedUpdates: FeedUpdate[];
}

/** Enough of any token to reach any price limit; the pool takes only what it needs. */
const UNLIMITED = 10n ** 40n;

/**
 * An on-chain price shock on a mainnet-profile devnet: for each shocked asset, one swap through
 * the Uniswap V3 SwapRouter in its pool (a sale for a fall, a purchase for a rise) with the target
 * price as `sqrtPriceLimitX96`, so the pool stops exactly there (crossing ranges and gaps as it
 * must), or, for an asset that trades in a Uniswap V2 pair (WBTC), the fee-paying swap that moves
 * the pair's price by exactly the fraction (`pairMoveCalls`, as on the spot profile); all in one
 * block from the shock trader. Then the keeper transmits every feed whose deviation threshold the
 * new market prices reach. Other assets move only through the quote tree (wstETH's USD price with
 * WETH's).
 * @throws UserInputError naming an asset with neither a V3 pool nor a V2 pair, or a fraction out of range.
 */
export async function crashMainnetPrices(options: CrashMainnetPricesOptions): Promise<MainnetCrash> {
  const { client, deployment } = options;
  const v3 = deployment.uniswapV3;
  const blockNumber = async (): Promise<bigint> => client.getBlockNumber({ cacheTime: 0 });
  const read = async () =>
    readMarketPricesUsd({
      client,
      chainId: options.chainId,
      assets: options.assets,
      blockNumber: await blockNumber(),
      multicallAddress: MULTICALL3_ADDRESS,
    });
  const before = await read();
  const trader: Address = DEVNET_SHOCK_TRADER;
  const calls: BatchCall[] = [];
  const pairRatios = new Map<string, number>();
  for (const [asset, fraction] of Object.entries(options.shock)) {
    if (!(fraction > -1) || fraction === 0)
      throw new UserInputError(`shock ${asset}=${fraction}: the fraction must be above -1 and not 0`);
    const pool = Object.values(v3?.pools ?? {}).find((p) => p.asset === asset);
    if (pool === undefined) {
      if (deployment.uniswap?.pairs[asset] === undefined)
        throw new UserInputError(
          `shock ${asset}: only an asset that trades in a Uniswap V3 pool or a V2 pair can be shocked on this devnet (${[
            ...Object.values(v3?.pools ?? {}).map((p) => p.asset),
            ...Object.keys(deployment.uniswap?.pairs ?? {}),
          ].join(", ")})`,
        );
      pairRatios.set(asset, 1 + fraction);
      continue;
    }
    const assetToken = deployment.tokens[pool.asset]!;
    const quoteToken = deployment.tokens[pool.quote]!;
    const [sqrtPriceX96] = await client.readContract({
      address: pool.address,
      abi: uniswapV3PoolAbi,
      functionName: "slot0",
    });
    const assetIsToken0 = assetToken.address.toLowerCase() < quoteToken.address.toLowerCase();
    // Raw price: token1 per token0; the asset's price moves by (1 + fraction), the raw price by it or its inverse.
    const sqrtNow = Number(sqrtPriceX96) / 2 ** 96;
    const rawNow = sqrtNow * sqrtNow;
    const rawTarget = assetIsToken0 ? rawNow * (1 + fraction) : rawNow / (1 + fraction);
    const [tokenIn, tokenOut] = fraction < 0 ? [assetToken, quoteToken] : [quoteToken, assetToken];
    calls.push(
      {
        to: tokenIn.address,
        data: encodeFunctionData({ abi: mintableErc20Abi, functionName: "mint", args: [trader, UNLIMITED] }),
        gas: 200_000n,
      },
      {
        to: tokenIn.address,
        data: encodeFunctionData({
          abi: erc20Abi,
          functionName: "approve",
          args: [v3!.swapRouter, maxUint256],
        }),
        gas: 200_000n,
      },
      {
        to: v3!.swapRouter,
        data: encodeFunctionData({
          abi: uniswapV3SwapRouterAbi,
          functionName: "exactInputSingle",
          args: [
            {
              tokenIn: tokenIn.address,
              tokenOut: tokenOut.address,
              fee: pool.fee,
              recipient: trader,
              deadline: maxUint256,
              amountIn: UNLIMITED,
              amountOutMinimum: 0n,
              sqrtPriceLimitX96: sqrtX96OfRawPrice(rawTarget),
            },
          ],
        }),
        gas: 5_000_000n,
      },
    );
  }
  calls.push(...(await v2MoveCalls(options, trader, pairRatios)));
  await prepareDevnetActor(options.rpcUrl, trader);
  const mined = await sendCallsInOneBlock(options.rpcUrl, trader, calls);
  const failed = mined.receipts.filter((receipt) => receipt.status !== "0x1").length;
  if (failed > 0)
    throw new FatalError(`devnet: ${failed} of the shock's ${calls.length} transactions reverted`);
  const after = await read();
  const feeds = Object.entries(deployment.oracles?.feeds ?? {}).map(([asset, feed]) => ({
    asset,
    address: feed.address,
  }));
  const feedUpdates = await updateDeviationFeeds(options.rpcUrl, client, feeds, after);
  return { before, after, feedUpdates };
}

/** The V2 pairs' moves by `ratios` (new / old price), priced against the quote their assets name. */
async function v2MoveCalls(
  options: CrashMainnetPricesOptions,
  trader: Address,
  ratios: ReadonlyMap<string, number>,
): Promise<BatchCall[]> {
  if (ratios.size === 0) return [];
  const pairs = options.deployment.uniswap?.pairs ?? {};
  const quotes = new Set(
    options.assets
      .filter((asset) => ratios.has(asset.id) && asset.liquidity.kind === "uniswap-v2")
      .map((asset) => asset.liquidity.quote),
  );
  const [quote] = quotes;
  if (quote === undefined || quotes.size > 1)
    throw new UserInputError(
      `shock ${[...ratios.keys()].join(", ")}: the deployment file's assets must name one uniswap-v2 quote for the shocked pairs`,
    );
  const pairAsset = (id: string): PairAsset => {
    const token = options.deployment.tokens[id];
    if (token === undefined) throw new UserInputError(`shock ${id}: the deployment names no token for it`);
    return {
      id,
      token: token.address,
      decimals: token.decimals,
      ...(pairs[id] === undefined ? {} : { pair: pairs[id] }),
    };
  };
  return pairMoveCalls(
    options.client as PublicClient,
    { assets: [...[...ratios.keys()].map(pairAsset), pairAsset(quote)], quote },
    trader,
    ratios,
  );
}
