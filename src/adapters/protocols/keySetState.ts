import type { IndexerState, ProtocolIndexer } from "./ProtocolIndexer.js";

/**
 * Export and import of an indexer whose whole discovery state is its set of position keys;
 * `normalize` puts each imported key in the form the indexer writes (e.g. checksummed).
 */
export function keySetState(
  keys: Set<string>,
  normalize: (key: string) => string = (key) => key,
): Pick<ProtocolIndexer, "exportState" | "importState"> {
  /** States this set exported: their keys are in normal form already (the sync re-imports them every block). */
  const exported = new WeakSet<IndexerState>();
  return {
    exportState: (): IndexerState => {
      const state = { keys: [...keys] };
      exported.add(state);
      return state;
    },
    importState(saved: IndexerState): void {
      keys.clear();
      const normal = exported.has(saved);
      for (const key of saved.keys) keys.add(normal ? key : normalize(key));
    },
  };
}
