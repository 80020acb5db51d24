import type { Address, PublicClient } from "viem";
import type { Protocol } from "../../core/ids.js";
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
  const tree = await tradeNetAlongQuoteTree({
    rpcUrl: target.rpcUrl,
    client,
    trader,
    swapRouter: target.mainnet.swapRouter,
    pools: target.mainnet.pools,
    tokens: Object.fromEntries(target.assets.map((asset) => [asset.id, { address: asset.token }])),
    assets: order,
    netWei,
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
