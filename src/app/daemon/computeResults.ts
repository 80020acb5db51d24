/**
 * One monitoring cycle's computation in this thread: the cycle's tasks (`planCycle`) run one after
 * another on one compiled book and are assembled into the results. CPU only; the caller stores and
 * publishes the result. The same tasks spread over worker threads or BullMQ workers assemble into
 * the same results.
 */
import type { MonitorResults } from "../../adapters/store/monitorResults.js";
import {
  assembleResults,
  completeResults,
  createCycleRuns,
  isDerived,
  planCycle,
  runCycleTask,
} from "./cycleTasks.js";
import type { CascadeEngine, SyncedSnapshot } from "./daemonPorts.js";
import type { DaemonSettings } from "./daemonSettings.js";

export interface ComputeOptions {
  readonly version: number;
  /** Milliseconds clock for `computedAtMs`. */
  readonly nowMs: () => number;
  /** High-resolution milliseconds clock for durations. */
  readonly elapsedMs: () => number;
}

export function computeResults(
  engine: CascadeEngine,
  synced: SyncedSnapshot,
  settings: DaemonSettings,
  options: ComputeOptions,
): MonitorResults {
  const book = engine.compile(synced.snapshot);
  const tasks = planCycle(synced.snapshot, settings);
  const runs = createCycleRuns();
  const results = tasks.map((task) =>
    isDerived(task)
      ? undefined
      : runCycleTask(engine, book, synced.snapshot, task, options.elapsedMs, { runs }),
  );
  return assembleResults(
    synced,
    tasks,
    completeResults(tasks, results, options.version),
    options.version,
    options.nowMs(),
  );
}
