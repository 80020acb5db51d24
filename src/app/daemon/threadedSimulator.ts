/**
 * Simulations for the HTTP API in a worker thread (`simulationThread`): the event loop stays free
 * for scrapes and probes, and a simulation that outlives its time limit is stopped by terminating
 * the thread (a fresh one starts, and reloads the book, on the next request).
 */
import type { Worker } from "node:worker_threads";
import { TransientError, UserInputError } from "../../core/errors.js";
import type { Snapshot } from "../../core/snapshot/snapshot.js";
import { startWorkerThread } from "../threads/startWorkerThread.js";
import type { SimulationThreadRequest, SimulationThreadResponse } from "./simulationThread.js";

/** The simulation outlived its time limit; the thread was terminated. */
export class SimulationTimeoutError extends TransientError {
  override readonly code = "SIMULATION_TIMEOUT";
}

export function createThreadedSimulator() {
  let worker: Worker | undefined;
  let loadedBook: string | undefined;
  let nextId = 1;
  const pending = new Map<number, (response: SimulationThreadResponse) => void>();

  const ensureWorker = (): Worker => {
    if (worker !== undefined) return worker;
    const w = startWorkerThread("./simulationThread", import.meta.url);
    w.on("message", (response: SimulationThreadResponse) => {
      pending.get(response.id)?.(response);
      pending.delete(response.id);
    });
    w.on("error", () => {
      if (worker === w) stop();
    });
    w.unref();
    worker = w;
    loadedBook = undefined;
    return w;
  };

  function stop(): void {
    const w = worker;
    worker = undefined;
    loadedBook = undefined;
    for (const [id, resolve] of pending)
      resolve({ id, ok: false, message: "simulation thread stopped", userError: false });
    pending.clear();
    void w?.terminate();
  }

  return {
    /**
     * Simulates `shock` on the book named `book` (a results version and when its snapshot was
     * taken: version numbers repeat after Redis lost its data), its snapshot loaded once per book.
     * @throws SimulationTimeoutError when `signal` aborts first; UserInputError for a bad shock.
     */
    async simulate(
      book: string,
      loadSnapshot: () => Promise<Snapshot | undefined>,
      shock: Readonly<Record<string, number>>,
      maxRounds: number,
      signal: AbortSignal,
    ): Promise<unknown> {
      const w = ensureWorker();
      if (loadedBook !== book) {
        const snapshot = await loadSnapshot();
        if (snapshot === undefined)
          throw new UserInputError("the current snapshot is not available in this process");
        w.postMessage({ type: "book", snapshot } satisfies SimulationThreadRequest);
        loadedBook = book;
      }
      if (signal.aborted) throw new SimulationTimeoutError("simulation stopped at its time limit");
      const id = nextId++;
      const onAbort = () => stop();
      const response = await new Promise<SimulationThreadResponse>((resolve) => {
        pending.set(id, resolve);
        signal.addEventListener("abort", onAbort, { once: true });
        w.postMessage({ type: "simulate", id, shock, maxRounds } satisfies SimulationThreadRequest);
      }).finally(() => signal.removeEventListener("abort", onAbort));
      if (response.ok) return response.report;
      if (signal.aborted) throw new SimulationTimeoutError("simulation stopped at its time limit");
      if (response.userError) throw new UserInputError(response.message);
      throw new TransientError(response.message);
    },
    close(): void {
      stop();
    },
  };
}

export type ThreadedSimulator = ReturnType<typeof createThreadedSimulator>;
