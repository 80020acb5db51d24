import type { Address } from "viem";
import type { ChainClient } from "../chain/createChainClient.js";

/** What an indexer passes to every `readContractsBatched` call besides the calls themselves. */
export interface BatchSettings {
  readonly client: ChainClient;
  readonly batchBytes: number;
  readonly multicallAddress?: Address;
}

/** `readContractsBatched` options (without `calls`) reading at `blockNumber`. */
export function batchOptionsAt(settings: BatchSettings, blockNumber: bigint) {
  return {
    client: settings.client,
    blockNumber,
    batchBytes: settings.batchBytes,
    ...(settings.multicallAddress === undefined ? {} : { multicallAddress: settings.multicallAddress }),
  };
}
