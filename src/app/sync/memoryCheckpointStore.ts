import type { Checkpoint, CheckpointStore } from "./CheckpointStore.js";

/** Checkpoints held in memory (tests, one-shot commands). */
export function memoryCheckpointStore(): CheckpointStore & { readonly saved: Map<number, Checkpoint> } {
  const saved = new Map<number, Checkpoint>();
  return {
    saved,
    load: async (chainId) => saved.get(chainId),
    save: async (checkpoint) => {
      saved.set(checkpoint.chainId, structuredClone(checkpoint));
    },
  };
}
