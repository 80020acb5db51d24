/**
 * Runs in a worker thread of the cycle pool: holds the compiled book of one cycle's snapshot and
 * runs that cycle's tasks on it (the same `runCycleTask` a BullMQ task worker runs).
 */
import { parentPort } from "node:worker_threads";
import { UserInputError } from "../../core/errors.js";
import type { Snapshot } from "../../core/snapshot/snapshot.js";
import { createCoreEngine } from "./coreEngine.js";
import { type CycleTask, type CycleTaskResult, runCycleTask } from "./cycleTasks.js";
import type { EngineBook } from "./daemonPorts.js";

export type CycleThreadRequest =
  | { readonly type: "book"; readonly id: number; readonly version: number; readonly snapshot: Snapshot }
  | { readonly type: "task"; readonly id: number; readonly task: CycleTask };

export type CycleThreadResponse =
  | { readonly id: number; readonly ok: true; readonly result?: CycleTaskResult }
  | { readonly id: number; readonly ok: false; readonly message: string; readonly userError: boolean };

const engine = createCoreEngine();
let loaded: { readonly snapshot: Snapshot; readonly book: EngineBook } | undefined;

function handle(request: CycleThreadRequest): CycleThreadResponse {
  if (request.type === "book") {
    loaded = undefined; // the previous book is garbage before the next one is built
    loaded = { snapshot: request.snapshot, book: engine.compile(request.snapshot) };
    return { id: request.id, ok: true };
  }
  if (loaded === undefined) throw new Error("no book loaded");
  const result = runCycleTask(engine, loaded.book, loaded.snapshot, request.task, () => performance.now());
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
