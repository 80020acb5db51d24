import type { Address, PublicClient } from "viem";
import type { ChainClient } from "../../adapters/chain/createChainClient.js";
import { readChainPools } from "../../adapters/pools/readChainPools.js";
import { sqrtX96OfRawPrice } from "../../adapters/pools/uniswap-v3/tickMath.js";
import type { Protocol } from "../../core/ids.js";
import { MULTICALL3_ADDRESS } from "../chain/devnetChain.js";
import { type QuoteTreeOrder, tradeNetAlongQuoteTree } from "../uniswap/tradeNetAlongQuoteTree.js";
import type { CascadeTarget, TargetMainnet } from "./cascadeTarget.js";
import { tradeNetAmounts } from "./tradeRound.js";

export interface MainnetRoundTrade {
  readonly liquidityExhausted: boolean;
  /** Assets whose USD market price the trade moved, with the protocols whose flows moved it. */
  readonly movedBy: Map<string, Set<Protocol>>;
}

/**
 * A mainnet-profile round's trade step: the round's net flows (sold minus repaid, wei) netted up
 * the quote tree in the book's trade order with real SwapRouter swaps (`tradeNetAlongQuoteTree`);
 * what reaches an asset that trades in a Uniswap V2 pair instead (WBTC against USDC) is traded
 * there (`tradeNetAmounts`). No follow move: every asset that moves has its own pool.
 *
 * Each swap's price limit is the edge of the last range the indexer's pool reader sees (the
 * lowest bound for a sale, the highest for a purchase): a sale beyond the liquidity the model
 * knows stops there, as the model's walk does (`liquidityExhausted`), instead of running the price
 * to the tick bound through empty ticks.
 *
 * Attribution: a pool's move is owed to the protocols whose flows reached it (its own and those
 * that ran up from below), and an asset quoted in a moved asset moves in USD with it (wstETH with
 * WETH), so it inherits its quote's protocols.
 */
export async function tradeMainnetRound(
  client: PublicClient,
  target: CascadeTarget & { readonly mainnet: TargetMainnet },
  trader: Address,
  order: QuoteTreeOrder,
  netWei: ReadonlyMap<string, bigint>,
  tradedBy: ReadonlyMap<string, ReadonlySet<Protocol>>,
): Promise<MainnetRoundTrade> {
  const limits = await readPriceLimits(client, target);
  const tree = await tradeNetAlongQuoteTree({
    rpcUrl: target.rpcUrl,
    client,
    trader,
    swapRouter: target.mainnet.swapRouter,
    pools: target.mainnet.pools,
    tokens: Object.fromEntries(target.assets.map((asset) => [asset.id, { address: asset.token }])),
    assets: order,
    netWei,
    priceLimitX96: (asset, sale) => limits.get(asset)?.[sale ? "sale" : "purchase"] ?? 0n,
  });
  const pairs = new Set(target.assets.flatMap((asset) => (asset.pair === undefined ? [] : [asset.id])));
  const pairNet = new Map([...tree.rootNetWei].filter(([asset, net]) => net !== 0n && pairs.has(asset)));
  const v2 = pairNet.size > 0 ? await tradeNetAmounts(client, target, trader, pairNet) : undefined;

  const movedBy = new Map<string, Set<Protocol>>();
  const reached = new Map<string, Set<Protocol>>();
  const add = (into: Map<string, Set<Protocol>>, asset: string, from: Iterable<Protocol>): Set<Protocol> => {
    const set = into.get(asset) ?? new Set<Protocol>();
    for (const p of from) set.add(p);
    into.set(asset, set);
    return set;
  };
  for (const trade of tree.trades) {
    const set = add(movedBy, trade.asset, [
      ...(tradedBy.get(trade.asset) ?? []),
      ...(reached.get(trade.asset) ?? []),
    ]);
    add(reached, trade.quote, set);
  }
  for (const [asset] of pairNet)
    add(movedBy, asset, [...(tradedBy.get(asset) ?? []), ...(reached.get(asset) ?? [])]);
  // Shallowest first (the trade order reversed), so a move runs down the whole tree.
  for (let k = order.tradeOrder.length - 1; k >= 0; k--) {
    const a = order.tradeOrder[k]!;
    const q = order.quote[a]!;
    if (q < 0) continue;
    const parent = movedBy.get(order.ids[q]!);
    if (parent !== undefined && parent.size > 0) add(movedBy, order.ids[a]!, parent);
  }
  for (const [asset, set] of movedBy) if (set.size === 0) movedBy.delete(asset);
  return {
    liquidityExhausted: tree.liquidityExhausted || (v2?.liquidityExhausted ?? false),
    movedBy,
  };
}

/**
 * Per V3 asset, the `sqrtPriceLimitX96` at the lowest (sale) and highest (purchase) edge of the
 * ranges the pool reader returns. Ranges are quote units per asset unit; the pool's raw price is
 * token1 wei per token0 wei: `p 10^(d_quote - d_asset)` when the asset is token0, its inverse
 * otherwise (so a sale lowers the raw price when the asset is token0 and raises it when token1).
 */
async function readPriceLimits(
  client: PublicClient,
  target: CascadeTarget & { readonly mainnet: TargetMainnet },
): Promise<Map<string, { sale: bigint; purchase: bigint }>> {
  const readings = await readChainPools({
    client: client as ChainClient,
    chainId: target.chainId,
    assets: target.mainnet.config.assets,
    blockNumber: await client.getBlockNumber({ cacheTime: 0 }),
    batchBytes: 200_000,
    multicallAddress: MULTICALL3_ADDRESS,
    found: new Map(),
  });
  const byId = new Map(target.assets.map((asset) => [asset.id, asset]));
  const limits = new Map<string, { sale: bigint; purchase: bigint }>();
  for (const reading of readings) {
    if (reading.kind !== "concentrated" || reading.ranges.length === 0) continue;
    const asset = byId.get(reading.asset);
    const quote = byId.get(reading.quote);
    if (asset === undefined || quote === undefined) continue;
    const assetIsToken0 = asset.token.toLowerCase() < quote.token.toLowerCase();
    const raw = (price: number): bigint =>
      sqrtX96OfRawPrice(
        assetIsToken0
          ? price * 10 ** (quote.decimals - asset.decimals)
          : (1 / price) * 10 ** (asset.decimals - quote.decimals),
      );
    const lowest = Math.min(...reading.ranges.map((range) => range.lower));
    const highest = Math.max(...reading.ranges.map((range) => range.upper));
    limits.set(reading.asset, { sale: raw(lowest), purchase: raw(highest) });
  }
  return limits;
}
