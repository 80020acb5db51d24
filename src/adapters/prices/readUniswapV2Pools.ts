/** Reads the Uniswap V2 pairs configured as asset liquidity: reserves in token units of the asset and its quote. */
import type { Address } from "viem";
import { erc20Abi } from "../../../abis/erc20.js";
import { uniswapV2PairAbi } from "../../../abis/uniswapV2Pair.js";
import type { AssetConfig } from "../../config/schema/assets.js";
import { TransientError, UserInputError } from "../../core/errors.js";
import { classifyRpcError } from "../chain/classifyRpcError.js";
import type { ChainClient } from "../chain/createChainClient.js";
import { readContractsBatched } from "../chain/readContractsBatched.js";
import { toTokenUnits } from "../protocols/toTokenUnits.js";

export interface PoolReserves {
  readonly asset: string;
  readonly quote: string;
  /** Asset units in the pair. */
  readonly reserveAsset: number;
  /** Quote units in the pair. */
  readonly reserveQuote: number;
  readonly feeBps: number;
  readonly decimals: number;
}

export interface ReadUniswapV2PoolsParameters {
  readonly client: ChainClient;
  readonly chainId: number;
  readonly assets: readonly AssetConfig[];
  readonly blockNumber: bigint;
  readonly batchBytes: number;
  readonly multicallAddress?: Address;
  /** Token decimals read before, by lowercase address: kept here (a token's decimals do not change). */
  readonly decimals?: Map<string, number>;
}

/** One entry per asset whose liquidity is a `uniswap-v2` pair on `chainId`. */
export async function readUniswapV2Pools(parameters: ReadUniswapV2PoolsParameters): Promise<PoolReserves[]> {
  const { client, chainId, blockNumber } = parameters;
  const byId = new Map(parameters.assets.map((a) => [a.id, a]));
  const pooled = parameters.assets.flatMap((asset, index) =>
    asset.liquidity.kind === "uniswap-v2" && asset.liquidity.chain === chainId
      ? [{ asset, index, liquidity: asset.liquidity }]
      : [],
  );
  if (pooled.length === 0) return [];
  const batch = {
    client,
    blockNumber,
    batchBytes: parameters.batchBytes,
    ...(parameters.multicallAddress === undefined ? {} : { multicallAddress: parameters.multicallAddress }),
  };
  const results = await readContractsBatched({
    ...batch,
    calls: pooled.flatMap(({ liquidity }) => [
      { address: liquidity.pair, abi: uniswapV2PairAbi, functionName: "token0" },
      { address: liquidity.pair, abi: uniswapV2PairAbi, functionName: "token1" },
      { address: liquidity.pair, abi: uniswapV2PairAbi, functionName: "getReserves" },
    ]),
  });
  const tokens = pooled.map(({ asset, index, liquidity }, i) => {
    const value = (j: number): unknown => {
      const r = results[3 * i + j];
      if (r?.status !== "success") {
        const cause = r?.status === "failure" ? r.error : undefined;
        // Only a revert says "not a pair"; a network fault or a pruned block says nothing about the config.
        if (classifyRpcError(cause) !== "fatal")
          throw new TransientError(`assets[${index}].liquidity.pair: reserves could not be read`, { cause });
        throw new UserInputError(
          `assets[${index}].liquidity.pair: not a Uniswap V2 pair on chain ${chainId}`,
          { cause },
        );
      }
      return r.result;
    };
    const token0 = (value(0) as Address).toLowerCase();
    const token1 = (value(1) as Address).toLowerCase();
    const [reserve0, reserve1] = value(2) as readonly bigint[];
    const own = asset.tokens[String(chainId)]?.toLowerCase();
    const quoteToken = byId.get(liquidity.quote)?.tokens[String(chainId)]?.toLowerCase();
    if (own === undefined || quoteToken === undefined)
      throw new UserInputError(
        `assets[${index}].liquidity: ${asset.id} and ${liquidity.quote} both need tokens["${chainId}"]`,
      );
    const ownIs0 = own === token0 && quoteToken === token1;
    const ownIs1 = own === token1 && quoteToken === token0;
    if (!ownIs0 && !ownIs1)
      throw new UserInputError(
        `assets[${index}].liquidity.pair: the pair does not hold ${asset.id} against ${liquidity.quote}`,
      );
    return {
      asset,
      liquidity,
      own,
      quoteToken,
      reserveOwn: ownIs0 ? reserve0! : reserve1!,
      reserveQuote: ownIs0 ? reserve1! : reserve0!,
    };
  });
  const known = parameters.decimals ?? new Map<string, number>();
  const decimalTokens = [...new Set(tokens.flatMap((t) => [t.own, t.quoteToken]))] as Address[];
  const unread = decimalTokens.filter((t) => !known.has(t.toLowerCase()));
  const decimalResults =
    unread.length === 0
      ? []
      : await readContractsBatched({
          ...batch,
          calls: unread.map((address) => ({ address, abi: erc20Abi, functionName: "decimals" })),
        });
  unread.forEach((t, i) => {
    const r = decimalResults[i];
    // Only an answer is kept: a failed read is tried again at the next block.
    if (r?.status === "success") known.set(t.toLowerCase(), Number(r.result));
  });
  const decimalsOf = new Map(decimalTokens.map((t) => [t, known.get(t.toLowerCase()) ?? 18]));
  return tokens.map((t) => ({
    asset: t.asset.id,
    quote: t.liquidity.quote,
    reserveAsset: toTokenUnits(t.reserveOwn, decimalsOf.get(t.own as Address)!),
    reserveQuote: toTokenUnits(t.reserveQuote, decimalsOf.get(t.quoteToken as Address)!),
    feeBps: t.liquidity.feeBps,
    decimals: decimalsOf.get(t.own as Address)!,
  }));
}
