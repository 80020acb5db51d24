/**
 * What every pipeline process of the distributed benchmark is started with besides its role,
 * connection, engine and settings: no sinks, no schedulers, no logs, metrics without process
 * gauges, and long job locks (a 1M-position book loads in a worker's first task, and a long
 * lock keeps that task from being taken over while it loads).
 */
import { createMonitorMetrics } from "../src/adapters/metrics/monitorMetrics.js";
import { DEFAULT_WORKER_OPTIONS } from "../src/adapters/queue/pipelineWorker.js";

export function benchPipelineDeps() {
  return {
    sinks: [],
    metrics: createMonitorMetrics({ processMetrics: false }),
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    workerOptions: { ...DEFAULT_WORKER_OPTIONS, lockDurationMs: 120_000, stalledIntervalMs: 120_000 },
    nowMs: Date.now,
    elapsedMs: () => performance.now(),
    schedule: false,
  } as const;
}
