import type { Address } from "viem";
import type { ChainClient } from "./createChainClient.js";

/** Multicall3's address on every chain that has it (deterministic deployment). */
export const MULTICALL3_ADDRESS: Address = "0xcA11bde05977b3631167028862bE2a173976CA11";

/** The canonical Multicall3 if it has code on this chain, else undefined (callers go deployless). */
export async function detectMulticall3(client: ChainClient): Promise<Address | undefined> {
  const code = await client.getCode({ address: MULTICALL3_ADDRESS });
  return code !== undefined && code !== "0x" ? MULTICALL3_ADDRESS : undefined;
}
