/**
 * A pool of worker threads (`pathThread`) that simulates Monte Carlo paths in parallel. Each
 * thread loads the book once per source key; paths are cut into chunks handed to whichever
 * thread is free, and the outcomes come back in path order, so the result does not depend on
 * the number of threads.
 */
import { availableParallelism } from "node:os";
import { UserInputError } from "../../core/errors.js";
import type { ShockPaths } from "../../core/risk/drawShockPaths.js";
import type { PathOutcome } from "../../core/risk/pathMeasures.js";
import { type RequestThread, startRequestThread } from "../threads/requestThread.js";
import type { BookSource } from "./bookSource.js";
import type { PathThreadRequest, PathThreadResponse } from "./pathThread.js";

/** Chunks per thread: small enough to balance uneven paths, large enough to keep messages few. */
const CHUNKS_PER_THREAD = 8;

interface Thread {
  readonly thread: RequestThread<PathThreadRequest, Extract<PathThreadResponse, { ok: true }>>;
  loadedKey: string | undefined;
}

export interface PathPool {
  readonly threads: number;
  /** Simulates every path of `paths` on the book of `source`; `outcomes[k]` is path `k`'s. */
  run(
    source: BookSource,
    paths: ShockPaths,
    maxRounds?: number,
    onProgress?: (done: number, total: number) => void,
  ): Promise<PathOutcome[]>;
  close(): Promise<void>;
}

/** Threads default to the machine's available parallelism. */
export function createPathPool(threads: number = availableParallelism()): PathPool {
  if (!(Number.isSafeInteger(threads) && threads >= 1))
    throw new UserInputError(`threads must be an integer of at least 1, got ${threads}`);
  let nextId = 1;
  const pool: Thread[] = [];

  const start = (): Thread => {
    const entry: Thread = {
      // A thread that died is dropped here and replaced at the next run.
      thread: startRequestThread("./pathThread", import.meta.url, "path thread", () => {
        const at = pool.indexOf(entry);
        if (at >= 0) pool.splice(at, 1);
      }),
      loadedKey: undefined,
    };
    return entry;
  };

  return {
    threads,
    async run(source, paths, maxRounds, onProgress) {
      while (pool.length < Math.min(threads, paths.count)) pool.push(start());
      const active = pool.slice(0, Math.min(threads, paths.count));
      await Promise.all(
        active.map(async (thread) => {
          if (thread.loadedKey === source.key) return;
          thread.loadedKey = undefined;
          await thread.thread.call({ type: "load", id: nextId++, source });
          thread.loadedKey = source.key;
        }),
      );
      const n = paths.assets.length;
      const chunk = Math.max(1, Math.ceil(paths.count / (active.length * CHUNKS_PER_THREAD)));
      const outcomes: PathOutcome[] = new Array(paths.count);
      let next = 0;
      let done = 0;
      await Promise.all(
        active.map(async (thread) => {
          while (next < paths.count) {
            const from = next;
            const to = Math.min(paths.count, from + chunk);
            next = to;
            const response = await thread.thread.call({
              type: "paths",
              id: nextId++,
              assets: paths.assets,
              shocks: paths.shocks.slice(from * n, to * n),
              from,
              ...(maxRounds === undefined ? {} : { maxRounds }),
            });
            const got = response.outcomes ?? [];
            for (let i = 0; i < got.length; i++) outcomes[from + i] = got[i]!;
            done += to - from;
            onProgress?.(done, paths.count);
          }
        }),
      );
      return outcomes;
    },
    async close() {
      await Promise.all(pool.splice(0).map((t) => t.thread.terminate()));
    },
  };
}
