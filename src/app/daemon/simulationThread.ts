/**
 * Runs in a worker thread: holds the compiled book of one snapshot and answers simulation
 * requests, so a long simulation for `POST /api/simulate` never blocks the monitor's event loop
 * and can be stopped (the thread is terminated) when it outlives its time limit.
 */
import { parentPort } from "node:worker_threads";
import { UserInputError } from "../../core/errors.js";
import type { Snapshot } from "../../core/snapshot/snapshot.js";
import { createCoreEngine } from "./coreEngine.js";
import type { EngineBook } from "./daemonPorts.js";

export type SimulationThreadRequest =
  | { readonly type: "book"; readonly snapshot: Snapshot }
  | {
      readonly type: "simulate";
      readonly id: number;
      readonly shock: Readonly<Record<string, number>>;
      readonly maxRounds: number;
    };

export type SimulationThreadResponse =
  | { readonly id: number; readonly ok: true; readonly report: unknown }
  | { readonly id: number; readonly ok: false; readonly message: string; readonly userError: boolean };

const engine = createCoreEngine();
let book: EngineBook | undefined;

parentPort?.on("message", (request: SimulationThreadRequest) => {
  if (request.type === "book") {
    book = engine.compile(request.snapshot);
    return;
  }
  try {
    if (book === undefined) throw new Error("no book loaded");
    const report = engine.simulate(book, request.shock, request.maxRounds);
    parentPort?.postMessage({ id: request.id, ok: true, report } satisfies SimulationThreadResponse);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const userError = error instanceof UserInputError;
    parentPort?.postMessage({
      id: request.id,
      ok: false,
      message,
      userError,
    } satisfies SimulationThreadResponse);
  }
});
