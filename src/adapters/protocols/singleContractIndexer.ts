/**
 * What every indexer of one contract with one market shares (Aave V3 pool, Aave V4 Spoke, Comet):
 * its identity, its log source, its borrower set as discovery state, and the batched-read options
 * at a block. A protocol folder spreads `shared` into its `ProtocolIndexer` and adds its reads.
 */
import { type AbiEvent, type Address, getAddress } from "viem";
import type { Protocol } from "../../core/ids.js";
import { type BatchSettings, batchOptionsAt } from "./batchOptionsAt.js";
import { keySetState } from "./keySetState.js";
import type { ProtocolIndexer } from "./ProtocolIndexer.js";

export interface SingleContractIndexerParameters extends BatchSettings {
  readonly protocol: Protocol;
  readonly label: string;
  readonly chainId: number;
  readonly fromBlock: number;
  /** The contract whose logs are scanned and which holds the market. */
  readonly address: Address;
  readonly events: readonly AbiEvent[];
  /** Names of the events that add a borrower or change the market (see `discoveryEvents`). */
  readonly discoveryEventNames: readonly string[];
  /** The snapshot id of its one market. */
  readonly marketId: string;
}

export type SingleContractIndexerBase = Pick<
  ProtocolIndexer,
  | "protocol"
  | "label"
  | "chainId"
  | "fromBlock"
  | "marketIds"
  | "logSources"
  | "discoveryEvents"
  | "keys"
  | "exportState"
  | "importState"
>;

export interface SingleContractIndexer {
  /** Every account ever seen borrowing (only those with debt reach the snapshot). */
  readonly borrowers: Set<string>;
  /** `readContractsBatched` options (without `calls`) at a block. */
  readonly batch: (blockNumber: bigint) => ReturnType<typeof batchOptionsAt>;
  readonly shared: SingleContractIndexerBase;
}

export function singleContractIndexer(parameters: SingleContractIndexerParameters): SingleContractIndexer {
  const borrowers = new Set<string>();
  const { address, events, marketId } = parameters;
  const discovery = events.filter((e) => parameters.discoveryEventNames.includes(e.name));
  return {
    borrowers,
    batch: (blockNumber) => batchOptionsAt(parameters, blockNumber),
    shared: {
      protocol: parameters.protocol,
      label: parameters.label,
      chainId: parameters.chainId,
      fromBlock: BigInt(parameters.fromBlock),
      marketIds: () => [marketId],
      logSources: () => ({ address: [address], events }),
      discoveryEvents: () => discovery,
      keys: () => [...borrowers],
      // Keys are checksummed addresses wherever they enter: events, subgraphs, checkpoints.
      ...keySetState(borrowers, getAddress),
    },
  };
}
