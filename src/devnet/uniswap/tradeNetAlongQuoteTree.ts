import { type Address, encodeFunctionData, maxUint256, type PublicClient } from "viem";
import { erc20Abi } from "../../../abis/erc20.js";
import { mintableErc20Abi } from "../../../abis/mintableErc20.js";
import { uniswapV3PoolAbi } from "../../../abis/uniswapV3Pool.js";
import { uniswapV3SwapRouterAbi } from "../../../abis/uniswapV3SwapRouter.js";
import type { BookAssets } from "../../core/book/book.js";
import { FatalError } from "../../core/errors.js";
import { type BatchCall, sendCallsInOneBlock } from "../liquidator/sendCallsInOneBlock.js";
import type { UniswapV3PoolDeployment } from "./deployUniswapV3.js";

/** The book's asset ids, quotes and trade order (the core's, from `compileAssets`). */
export type QuoteTreeOrder = Pick<BookAssets, "ids" | "quote" | "tradeOrder">;

export interface TradeNetAlongQuoteTreeOptions {
  readonly rpcUrl: string;
  readonly client: PublicClient;
  /** The impersonated account that holds what it sells; what it buys with is minted to it first. */
  readonly trader: Address;
  readonly swapRouter: Address;
  /** Each traded asset's Uniswap V3 pool against its quote. */
  readonly pools: readonly UniswapV3PoolDeployment[];
  readonly tokens: Readonly<Record<string, { readonly address: Address }>>;
  readonly assets: QuoteTreeOrder;
  /** Net flow per asset in wei: sold minus bought (positive = a sale into its pool). */
  readonly netWei: ReadonlyMap<string, bigint>;
  /**
   * The `sqrtPriceLimitX96` of each asset's sale and purchase (default 0: the router's own limit,
   * which lets a sale past the last range run the price to the tick bound).
   */
  readonly priceLimitX96?: (asset: string, sale: boolean) => bigint;
}

export interface QuoteTreeTrade {
  readonly asset: string;
  readonly quote: string;
  /** The net the pool met, in the asset's wei (its own net plus what flowed up from below). */
  readonly netWei: bigint;
  /** Quote wei received (sale) or paid (purchase). */
  readonly quoteWei: bigint;
  /** A sale the pool could not fill entirely (its ranges ran out before the amount was sold). */
  readonly exhausted: boolean;
}

export interface QuoteTreeTrades {
  readonly trades: readonly QuoteTreeTrade[];
  /** Net left at the roots of the quote tree (assets without a pool, USD-quoted), in wei. */
  readonly rootNetWei: ReadonlyMap<string, bigint>;
  readonly liquidityExhausted: boolean;
}

/**
 * A round's trade step on chain, netted as the model's `applyTradeStep` nets it: assets in the
 * book's trade order (decreasing depth of the quote tree), each asset's net traded in its pool
 * through the SwapRouter (a sale with `exactInputSingle`, a purchase with `exactOutputSingle`),
 * and what the swap received or paid joins the net of its quote, so flows run up the tree
 * (wstETH's sale pays WETH that is netted with WETH's own flow before WETH meets its USDC pool).
 * Each swap is its own block, since the next one's amount depends on it; amounts are what the
 * trader's balances show.
 * @throws FatalError when a swap reverts.
 */
export async function tradeNetAlongQuoteTree(
  options: TradeNetAlongQuoteTreeOptions,
): Promise<QuoteTreeTrades> {
  const { client, trader, swapRouter, assets } = options;
  const net = new Map(options.netWei);
  const trades: QuoteTreeTrade[] = [];
  const rootNetWei = new Map<string, bigint>();
  let liquidityExhausted = false;
  const balanceOf = (token: Address): Promise<bigint> =>
    client.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [trader] });
  for (let k = 0; k < assets.tradeOrder.length; k++) {
    const a = assets.tradeOrder[k]!;
    const asset = assets.ids[a]!;
    const amount = net.get(asset) ?? 0n;
    if (amount === 0n) continue;
    const q = assets.quote[a]!;
    const pool = options.pools.find((candidate) => candidate.asset === asset);
    if (q < 0 || pool === undefined) {
      rootNetWei.set(asset, amount);
      continue;
    }
    const quote = assets.ids[q]!;
    if (pool.quote !== quote)
      throw new FatalError(
        `devnet: ${asset}'s pool trades against ${pool.quote}, the book quotes it in ${quote}`,
      );
    const assetToken = options.tokens[asset]!.address;
    const quoteToken = options.tokens[quote]!.address;
    const [tokenIn, tokenOut] = amount > 0n ? [assetToken, quoteToken] : [quoteToken, assetToken];
    const limit = options.priceLimitX96?.(asset, amount > 0n) ?? 0n;
    if (limit !== 0n) {
      // The pool refuses a limit that is not past its price in the swap's direction: at its limit
      // already, nothing more trades there (a sale is then exhausted with nothing filled).
      const [sqrtPriceX96] = await client.readContract({
        address: pool.address,
        abi: uniswapV3PoolAbi,
        functionName: "slot0",
      });
      const zeroForOne = tokenIn.toLowerCase() < tokenOut.toLowerCase();
      if (zeroForOne ? limit >= sqrtPriceX96 : limit <= sqrtPriceX96) {
        if (amount > 0n) liquidityExhausted = true;
        trades.push({ asset, quote, netWei: amount, quoteWei: 0n, exhausted: amount > 0n });
        continue;
      }
    }
    const calls: BatchCall[] = [];
    if (amount < 0n) {
      // A purchase is paid in the quote before the quote's own flow is known: mint what the pool may take.
      calls.push({
        to: tokenIn,
        data: encodeFunctionData({ abi: mintableErc20Abi, functionName: "mint", args: [trader, 10n ** 40n] }),
        gas: 200_000n,
      });
    }
    calls.push(
      {
        to: tokenIn,
        data: encodeFunctionData({ abi: erc20Abi, functionName: "approve", args: [swapRouter, maxUint256] }),
        gas: 100_000n,
      },
      {
        to: swapRouter,
        data:
          amount > 0n
            ? encodeFunctionData({
                abi: uniswapV3SwapRouterAbi,
                functionName: "exactInputSingle",
                args: [
                  {
                    tokenIn,
                    tokenOut,
                    fee: pool.fee,
                    recipient: trader,
                    deadline: maxUint256,
                    amountIn: amount,
                    amountOutMinimum: 0n,
                    sqrtPriceLimitX96: limit,
                  },
                ],
              })
            : encodeFunctionData({
                abi: uniswapV3SwapRouterAbi,
                functionName: "exactOutputSingle",
                args: [
                  {
                    tokenIn,
                    tokenOut,
                    fee: pool.fee,
                    recipient: trader,
                    deadline: maxUint256,
                    amountOut: -amount,
                    amountInMaximum: 10n ** 40n,
                    sqrtPriceLimitX96: limit,
                  },
                ],
              }),
        gas: 5_000_000n,
      },
    );
    const [inBefore, outBefore] = await Promise.all([balanceOf(tokenIn), balanceOf(tokenOut)]);
    const mined = await sendCallsInOneBlock(options.rpcUrl, trader, calls);
    if (mined.receipts.some((receipt) => receipt.status !== "0x1"))
      throw new FatalError(`devnet: the swap of ${asset} in its ${quote} pool reverted`);
    const [inAfter, outAfter] = await Promise.all([balanceOf(tokenIn), balanceOf(tokenOut)]);
    const minted = amount < 0n ? 10n ** 40n : 0n;
    const spent = inBefore + minted - inAfter;
    const received = outAfter - outBefore;
    const exhausted = amount > 0n && spent < amount;
    if (exhausted) liquidityExhausted = true;
    const quoteWei = amount > 0n ? received : spent;
    trades.push({ asset, quote, netWei: amount, quoteWei, exhausted });
    net.set(quote, (net.get(quote) ?? 0n) + (amount > 0n ? quoteWei : -quoteWei));
  }
  return { trades, rootNetWei, liquidityExhausted };
}
