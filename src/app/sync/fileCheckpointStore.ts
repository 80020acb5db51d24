/** Checkpoints as one JSON file per chain in a directory, written atomically (temp file + rename). */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Checkpoint, CheckpointStore } from "./CheckpointStore.js";

export function fileCheckpointStore(directory: string): CheckpointStore {
  const fileOf = (chainId: number): string => join(directory, `checkpoint-${chainId}.json`);
  return {
    async load(chainId) {
      try {
        return JSON.parse(await readFile(fileOf(chainId), "utf8")) as Checkpoint;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
    },
    async save(checkpoint) {
      await mkdir(directory, { recursive: true });
      const target = fileOf(checkpoint.chainId);
      const temp = `${target}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify(checkpoint));
      await rename(temp, target);
    },
  };
}
