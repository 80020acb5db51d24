/**
 * Where the sync keeps its checkpoint: the last finalized block of a chain and each indexer's
 * discovery state there, so a restart scans logs from that block on instead of from deployment.
 * File and in-memory stores live here; the daemon adds Redis behind the same interface.
 */
import type { IndexerState } from "../../adapters/protocols/ProtocolIndexer.js";

export interface Checkpoint {
  readonly chainId: number;
  /** Last block whose logs are folded into `indexers` and that is past the reorg window. */
  readonly blockNumber: string;
  readonly blockHash: string;
  /** Discovery state per indexer label. */
  readonly indexers: Readonly<Record<string, IndexerState>>;
}

export interface CheckpointStore {
  load(chainId: number): Promise<Checkpoint | undefined>;
  save(checkpoint: Checkpoint): Promise<void>;
}
