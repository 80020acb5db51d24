import { type Address, encodeFunctionData, type PublicClient } from "viem";
import { deviationFeedAbi } from "../../../abis/deviationFeed.js";
import {
  type BatchCall,
  prepareDevnetActor,
  sendCallsInOneBlock,
} from "../liquidator/sendCallsInOneBlock.js";
import { DEVNET_FEED_KEEPER } from "./deployMainnetOracles.js";

export interface KeptFeed {
  readonly asset: string;
  readonly address: Address;
}

export interface FeedUpdate {
  readonly asset: string;
  readonly feed: Address;
  /** The new answer, USD with 8 decimals. */
  readonly answer: bigint;
}

/** A USD price as a feed answer (8 decimals), rounded to the nearest unit (exact back and forth: answers are below 2^53). */
export const feedAnswerOf = (priceUsd: number): bigint => BigInt(Math.round(priceUsd * 1e8));

/**
 * The devnet's keeper, as Chainlink's nodes behave: for each feed, the candidate answer is its
 * asset's market price; it is transmitted only when the feed itself says the move reached its
 * deviation threshold (`deviationReached`, the check `transmit` enforces). All transmissions of one
 * call go into one block. Returns what was pushed.
 */
export async function updateDeviationFeeds(
  rpcUrl: string,
  client: PublicClient,
  feeds: readonly KeptFeed[],
  marketPricesUsd: Readonly<Record<string, number>>,
): Promise<FeedUpdate[]> {
  const candidates = feeds.flatMap((feed) => {
    const price = marketPricesUsd[feed.asset];
    return price === undefined || !(price > 0) ? [] : [{ ...feed, answer: feedAnswerOf(price) }];
  });
  if (candidates.length === 0) return [];
  const reached = await client.multicall({
    allowFailure: false,
    contracts: candidates.map((c) => ({
      address: c.address,
      abi: deviationFeedAbi,
      functionName: "deviationReached" as const,
      args: [c.answer] as const,
    })),
  });
  const updates = candidates.filter((_, i) => reached[i] === true);
  if (updates.length === 0) return [];
  await prepareDevnetActor(rpcUrl, DEVNET_FEED_KEEPER);
  const calls: BatchCall[] = updates.map((u) => ({
    to: u.address,
    data: encodeFunctionData({ abi: deviationFeedAbi, functionName: "transmit", args: [u.answer] }),
    gas: 100_000n,
  }));
  await sendCallsInOneBlock(rpcUrl, DEVNET_FEED_KEEPER, calls);
  return updates.map((u) => ({ asset: u.asset, feed: u.address, answer: u.answer }));
}
