import type { IndexerState, ProtocolIndexer } from "./ProtocolIndexer.js";

/**
 * Export and import of an indexer whose whole discovery state is its set of position keys;
 * `normalize` puts each imported key in the form the indexer writes (e.g. checksummed).
 */
export function keySetState(
  keys: Set<string>,
  normalize: (key: string) => string = (key) => key,
): Pick<ProtocolIndexer, "exportState" | "importState"> {
  return {
    exportState: (): IndexerState => ({ keys: [...keys] }),
    importState(saved: IndexerState): void {
      keys.clear();
      for (const key of saved.keys) keys.add(normalize(key));
    },
  };
}
