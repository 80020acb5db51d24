import type { IndexerState, ProtocolIndexer } from "./ProtocolIndexer.js";

/** Export and import of an indexer whose whole discovery state is its set of position keys. */
export function keySetState(keys: Set<string>): Pick<ProtocolIndexer, "exportState" | "importState"> {
  return {
    exportState: (): IndexerState => ({ keys: [...keys] }),
    importState(saved: IndexerState): void {
      keys.clear();
      for (const key of saved.keys) keys.add(key);
    },
  };
}
