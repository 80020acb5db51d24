import { type Address, encodeFunctionData, maxUint256 } from "viem";
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
import type { UniswapV3PoolDeployment } from "../uniswap/deployUniswapV3.js";
import { type FeedUpdate, updateDeviationFeeds } from "./feedKeeper.js";
import { readMarketPricesUsd } from "./readMarketPricesUsd.js";

/** The parts of a mainnet-profile devnet the shock trades and pushes. */
export interface MainnetCrashParts {
  readonly uniswapV3?: {
    readonly swapRouter: Address;
    readonly pools: Readonly<Record<string, UniswapV3PoolDeployment>>;
  };
  readonly tokens: Readonly<Record<string, { readonly address: Address }>>;
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
 * must), all in one block from the shock trader; then the keeper transmits every feed whose
 * deviation threshold the new market prices reach. Other assets move only through the quote tree
 * (wstETH's USD price with WETH's).
 * @throws UserInputError naming an asset without a Uniswap V3 pool or a fraction out of range.
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
  for (const [asset, fraction] of Object.entries(options.shock)) {
    const pool = Object.values(v3?.pools ?? {}).find((p) => p.asset === asset);
    if (pool === undefined)
      throw new UserInputError(
        `shock ${asset}: only an asset that trades in a Uniswap V3 pool can be shocked on this devnet (${Object.values(
          v3?.pools ?? {},
        )
          .map((p) => p.asset)
          .join(", ")})`,
      );
    if (!(fraction > -1) || fraction === 0)
      throw new UserInputError(`shock ${asset}=${fraction}: the fraction must be above -1 and not 0`);
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
