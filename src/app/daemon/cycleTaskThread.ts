/**
 * Runs in a worker thread of the cycle pool: holds the compiled book of one cycle's snapshot and
 * runs that cycle's tasks on it (the same `runCycleTask` a BullMQ task worker runs). The next
 * cycle's book comes whole, or as the changes the monitor applied to its own copy of this one.
 */

import { parentPort } from "node:worker_threads";
import {
  applySnapshotChanges,
  type CompiledSnapshot,
  compileSnapshot,
} from "../../core/book/compiledSnapshot.js";
import { UserInputError } from "../../core/errors.js";
import type { Snapshot } from "../../core/snapshot/snapshot.js";
import type { SnapshotChanges } from "../../core/snapshot/snapshotChanges.js";
import type { ThreadFailure } from "../threads/requestThread.js";
import { createCoreEngine } from "./coreEngine.js";
import {
  type CycleRuns,
  type CycleTask,
  type CycleTaskResult,
  createCycleRuns,
  runCycleTask,
} from "./cycleTasks.js";

export type CycleThreadRequest =
  | {
      readonly type: "book";
      readonly id: number;
      readonly version: number;
      readonly snapshot: Snapshot;
      /** `snapshot.positions[i]` is the book's position `i` (the monitor's held book). */
      readonly inBookOrder: boolean;
    }
  | {
      readonly type: "changes";
      readonly id: number;
      readonly version: number;
      /** What turns the book held (the previous version's) into this version's. */
      readonly changes: SnapshotChanges;
    }
  | { readonly type: "task"; readonly id: number; readonly task: CycleTask };

export type CycleThreadResponse =
  | { readonly id: number; readonly ok: true; readonly result?: CycleTaskResult }
  | ThreadFailure;

const engine = createCoreEngine();
/**
 * The book held; the tasks run on `snapshot` (as sent, or in book order after changes) and share
 * the runs of this book.
 */
let loaded:
  | {
      readonly snapshot: Snapshot;
      readonly compiled: CompiledSnapshot;
      readonly inBookOrder: boolean;
      readonly runs: CycleRuns;
    }
  | undefined;

function handle(request: CycleThreadRequest): CycleThreadResponse {
  if (request.type === "book") {
    loaded = undefined; // the previous book is garbage before the next one is built
    const compiled = compileSnapshot(request.snapshot);
    loaded = {
      snapshot: request.snapshot,
      compiled,
      inBookOrder: request.inBookOrder,
      runs: createCycleRuns(),
    };
    return { id: request.id, ok: true };
  }
  if (request.type === "changes") {
    const held = loaded;
    if (held === undefined) throw new Error("changes sent to a thread that holds no book");
    loaded = undefined; // consumed by the update, whatever its outcome
    const { compiled } = applySnapshotChanges(held.compiled, request.changes);
    loaded = { snapshot: compiled.snapshot, compiled, inBookOrder: true, runs: createCycleRuns() };
    return { id: request.id, ok: true };
  }
  if (loaded === undefined) throw new Error("no book loaded");
  const { compiled, snapshot, inBookOrder, runs } = loaded;
  const result = runCycleTask(engine, compiled.book, snapshot, request.task, () => performance.now(), {
    inBookOrder,
    runs,
  });
  return { id: request.id, ok: true, result };
}

parentPort?.on("message", (request: CycleThreadRequest) => {
  let response: CycleThreadResponse;
  try {
    response = handle(request);
  } catch (error) {
    response = {
      id: request.id,
      ok: false,
      message: error instanceof Error ? error.message : String(error),
      userError: error instanceof UserInputError,
    };
  }
  parentPort?.postMessage(response);
});
