import { type Address, encodeFunctionData, type PublicClient } from "viem";
import { erc20Abi } from "../../../abis/erc20.js";
import { mintableErc20Abi } from "../../../abis/mintableErc20.js";
import { uniswapV2PairAbi } from "../../../abis/uniswapV2Pair.js";
import type { CascadeTarget, TargetAsset } from "./cascadeTarget.js";
import { tradeForPriceRatio, uniswapAmountIn, uniswapAmountOut } from "./pairMath.js";
import { type BatchCall, sendCallsInOneBlock } from "./sendCallsInOneBlock.js";

/** Share of a pair's asset reserve one buy may take (docs/cascade-model.md: `0.99 x`). */
const MAX_BUY_NUMERATOR = 99n;

/** What a pair trade needs to know of an asset: its token, decimals and pair against the quote. */
export type PairAsset = Pick<TargetAsset, "id" | "token" | "decimals" | "pair">;

interface PairState {
  readonly asset: PairAsset;
  readonly pair: Address;
  readonly assetIsToken0: boolean;
  readonly reserveAsset: bigint;
  readonly reserveQuote: bigint;
}

async function readPairs(client: PublicClient, assets: readonly PairAsset[]): Promise<PairState[]> {
  const withPair = assets.filter((asset): asset is PairAsset & { pair: Address } => asset.pair !== undefined);
  const reads = await client.multicall({
    allowFailure: false,
    contracts: withPair.flatMap((asset) => [
      { address: asset.pair, abi: uniswapV2PairAbi, functionName: "token0" as const },
      { address: asset.pair, abi: uniswapV2PairAbi, functionName: "getReserves" as const },
    ]),
  });
  return withPair.map((asset, k) => {
    const token0 = reads[2 * k] as Address;
    const [reserve0, reserve1] = reads[2 * k + 1] as readonly [bigint, bigint, number];
    const assetIsToken0 = token0.toLowerCase() === asset.token.toLowerCase();
    return {
      asset,
      pair: asset.pair,
      assetIsToken0,
      reserveAsset: assetIsToken0 ? reserve0 : reserve1,
      reserveQuote: assetIsToken0 ? reserve1 : reserve0,
    };
  });
}

const call = (to: Address, data: `0x${string}`): BatchCall => ({ to, data, gas: 300_000n });

/** Calls that swap `amountIn` of one side of the pair for `amountOut` of the other, paid to `to`. */
function swapCalls(
  state: PairState,
  quoteToken: Address,
  sell: "asset" | "quote",
  amountIn: bigint,
  amountOut: bigint,
  to: Address,
  mintFirst: boolean,
): BatchCall[] {
  const tokenIn = sell === "asset" ? state.asset.token : quoteToken;
  const assetOut = sell === "quote";
  const out0 = assetOut === state.assetIsToken0 ? amountOut : 0n;
  const out1 = assetOut === state.assetIsToken0 ? 0n : amountOut;
  return [
    ...(mintFirst
      ? [
          call(
            tokenIn,
            encodeFunctionData({ abi: mintableErc20Abi, functionName: "mint", args: [to, amountIn] }),
          ),
        ]
      : []),
    call(
      tokenIn,
      encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [state.pair, amountIn] }),
    ),
    call(
      state.pair,
      encodeFunctionData({ abi: uniswapV2PairAbi, functionName: "swap", args: [out0, out1, to, "0x"] }),
    ),
  ];
}

/**
 * Trades each asset's net amount (sold minus repaid, raw units) into its pair in one block: a
 * positive net is sold for the quote token, a negative one is bought with quote (capped at 99% of
 * the pair's reserve). Returns whether a buy was capped.
 */
export async function tradeNetAmounts(
  client: PublicClient,
  target: CascadeTarget,
  trader: Address,
  netWei: ReadonlyMap<string, bigint>,
): Promise<{ liquidityExhausted: boolean }> {
  const quoteToken = target.assets.find((asset) => asset.id === target.quote)!.token;
  const pairs = await readPairs(
    client,
    target.assets.filter((asset) => (netWei.get(asset.id) ?? 0n) !== 0n),
  );
  let liquidityExhausted = false;
  const calls: BatchCall[] = [];
  for (const state of pairs) {
    const net = netWei.get(state.asset.id)!;
    if (net > 0n) {
      const out = uniswapAmountOut(net, state.reserveAsset, state.reserveQuote);
      calls.push(...swapCalls(state, quoteToken, "asset", net, out, trader, false));
    } else {
      let want = -net;
      const cap = (state.reserveAsset * MAX_BUY_NUMERATOR) / 100n;
      if (want > cap) {
        want = cap;
        liquidityExhausted = true;
      }
      const amountIn = uniswapAmountIn(want, state.reserveQuote, state.reserveAsset);
      calls.push(...swapCalls(state, quoteToken, "quote", amountIn, want, trader, true));
    }
  }
  await sendCallsInOneBlock(target.rpcUrl, trader, calls);
  return { liquidityExhausted };
}

/**
 * Moves each listed pair's spot price by `ratio[asset]` (new / old) with one fee-paying swap per
 * pair, in one block (the quote token is worth $1). The trader mints what it sells. Pairs whose
 * ratio is within 1e-9 of 1 are left alone.
 */
export async function movePairsByRatios(
  client: PublicClient,
  target: CascadeTarget,
  trader: Address,
  ratios: ReadonlyMap<string, number>,
): Promise<void> {
  await sendCallsInOneBlock(target.rpcUrl, trader, await pairMoveCalls(client, target, trader, ratios));
}

/**
 * The calls of `movePairsByRatios` without sending them, for a caller that mines them in one block
 * with others (the mainnet profile's shock, beside its Uniswap V3 swaps).
 */
export async function pairMoveCalls(
  client: PublicClient,
  pairs: { readonly assets: readonly PairAsset[]; readonly quote: string },
  trader: Address,
  ratios: ReadonlyMap<string, number>,
): Promise<BatchCall[]> {
  const quote = pairs.assets.find((asset) => asset.id === pairs.quote)!;
  const states = await readPairs(
    client,
    pairs.assets.filter((asset) => ratios.has(asset.id)),
  );
  const calls: BatchCall[] = [];
  for (const state of states) {
    const ratio = ratios.get(state.asset.id)!;
    if (Math.abs(ratio - 1) < 1e-9) continue;
    const trade = tradeForPriceRatio(state.reserveAsset, state.reserveQuote, ratio);
    if (trade.amountIn === 0n || trade.amountOut === 0n) continue;
    calls.push(...swapCalls(state, quote.token, trade.sell, trade.amountIn, trade.amountOut, trader, true));
  }
  return calls;
}
