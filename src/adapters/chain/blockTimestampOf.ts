/**
 * A block's timestamp (unix seconds): the one the caller already holds from the block's header
 * (the sync reads the head's header every step), or the header fetched for it.
 */
import type { ChainClient } from "./createChainClient.js";

export async function blockTimestampOf(
  client: ChainClient,
  blockNumber: bigint,
  known: bigint | undefined,
): Promise<bigint> {
  return known ?? (await client.getBlock({ blockNumber })).timestamp;
}
