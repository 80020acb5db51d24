/**
 * Where a single-process cycle's tasks run: in this thread one after another, or on a pool of
 * worker threads that each hold the cycle's compiled book and take the next task when free
 * (costliest first). Either way `run` returns the results in plan order, so the assembled
 * results are the same for any number of threads.
 */
import { TransientError, UserInputError } from "../../core/errors.js";
import type { Snapshot } from "../../core/snapshot/snapshot.js";
import type { SnapshotChanges } from "../../core/snapshot/snapshotChanges.js";
import { type RequestThread, startRequestThread } from "../threads/requestThread.js";
import {
  type CycleTask,
  type CycleTaskResult,
  completeResults,
  createCycleRuns,
  isDerived,
  longestFirst,
  runCycleTask,
} from "./cycleTasks.js";
import type { CycleThreadRequest, CycleThreadResponse } from "./cycleTaskThread.js";
import type { CascadeEngine, EngineBook } from "./daemonPorts.js";

/** A cycle's book as the monitor holds it. */
export interface HeldCycleBook {
  readonly book: EngineBook;
  readonly changes?: SnapshotChanges | undefined;
}

export interface CycleTaskRunner {
  /**
   * Runs `tasks` on the book of cycle `version`'s `snapshot`; `results[i]` is `tasks[i]`'s.
   * `held`, when given, is that snapshot compiled already (by the core engine) and, when it was
   * brought up to date rather than compiled, the changes applied to cycle `version - 1`'s book.
   */
  run(
    version: number,
    snapshot: Snapshot,
    tasks: readonly CycleTask[],
    held?: HeldCycleBook,
  ): Promise<CycleTaskResult[]>;
  close(): Promise<void>;
}

/** Tasks in this thread on `engine` (on the book given, else the book compiled once per cycle). */
export function inlineTaskRunner(engine: CascadeEngine, elapsedMs: () => number): CycleTaskRunner {
  return {
    async run(version, snapshot, tasks, held) {
      const book: EngineBook = held?.book ?? engine.compile(snapshot);
      // The held book's snapshot is in book order; runs are shared within this cycle.
      const context = { inBookOrder: held !== undefined, runs: createCycleRuns() };
      const results = tasks.map((task) =>
        isDerived(task) ? undefined : runCycleTask(engine, book, snapshot, task, elapsedMs, context),
      );
      return completeResults(tasks, results, version);
    },
    close: async () => undefined,
  };
}

interface Thread {
  readonly thread: RequestThread<CycleThreadRequest, Extract<CycleThreadResponse, { ok: true }>>;
  version: number | undefined;
}

/**
 * Tasks on `threads` worker threads running the core engine. Each thread keeps its book: a thread
 * that holds the previous cycle's is sent the changes to apply, any other the whole snapshot.
 */
export function threadPoolTaskRunner(threads: number): CycleTaskRunner {
  if (!(Number.isSafeInteger(threads) && threads >= 1))
    throw new UserInputError(`threads must be an integer of at least 1, got ${threads}`);
  let nextId = 1;
  const pool: Thread[] = [];

  const start = (): Thread => {
    const entry: Thread = {
      // A thread that died is dropped here and replaced at the next cycle.
      thread: startRequestThread("./cycleTaskThread", import.meta.url, "cycle thread", () => {
        const at = pool.indexOf(entry);
        if (at >= 0) pool.splice(at, 1);
      }),
      version: undefined,
    };
    return entry;
  };

  return {
    async run(version, snapshot, tasks, held) {
      const wanted = Math.max(1, Math.min(threads, tasks.length));
      while (pool.length < wanted) pool.push(start());
      const active = pool.slice(0, wanted);
      await Promise.all(
        active.map(async (thread) => {
          if (thread.version === version) return;
          const changes = thread.version === version - 1 ? held?.changes : undefined;
          thread.version = undefined;
          await thread.thread.call(
            changes === undefined
              ? { type: "book", id: nextId++, version, snapshot, inBookOrder: held !== undefined }
              : { type: "changes", id: nextId++, version, changes },
          );
          thread.version = version;
        }),
      );
      const order = longestFirst(tasks);
      const results: Array<CycleTaskResult | undefined> = new Array(tasks.length);
      let next = 0;
      await Promise.all(
        active.map(async (thread) => {
          while (next < order.length) {
            const index = order[next++]!;
            const response = await thread.thread.call({ type: "task", id: nextId++, task: tasks[index]! });
            if (response.result === undefined)
              throw new TransientError(`cycle thread returned no result for task ${index}`);
            results[index] = response.result;
          }
        }),
      );
      return completeResults(tasks, results, version);
    },
    async close() {
      await Promise.all(pool.splice(0).map((t) => t.thread.terminate()));
    },
  };
}
