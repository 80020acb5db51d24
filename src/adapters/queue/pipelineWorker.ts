/**
 * A BullMQ worker for one pipeline queue: measures job durations, counts failures, maps errors
 * that retrying cannot fix to `UnrecoverableError`, and backs off per the sink's `Retry-After`.
 */

import { hostname } from "node:os";
import { type Job, UnrecoverableError, WaitingChildrenError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { isCascadeError } from "../../core/errors.js";
import { redactUrls } from "../chain/redactUrls.js";
import type { QueueName } from "../metrics/metricLabels.js";
import type { MonitorMetrics } from "../metrics/monitorMetrics.js";
import { type RetryPolicy, sinkBackoffMs } from "../sinks/deliverWithRetry.js";
import type { PipelineJobs } from "./pipelineJobs.js";

export interface PipelineWorkerOptions {
  readonly concurrency: number;
  /** How long a job's lock lives without renewal; a killed worker's job is taken over after it. */
  readonly lockDurationMs: number;
  /** How often this worker looks for jobs whose lock expired. */
  readonly stalledIntervalMs: number;
  readonly retryPolicy: RetryPolicy;
}

export const DEFAULT_WORKER_OPTIONS: PipelineWorkerOptions = {
  concurrency: 1,
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
  retryPolicy: { maxAttempts: 12, baseDelayMs: 1000, maxDelayMs: 5 * 60_000 },
};

/** `token` is the job's lock token (for `moveToWaitingChildren`). */
export type PipelineProcessor<Q extends QueueName> = (
  job: Job<PipelineJobs[Q]>,
  signal: AbortSignal,
  token: string,
) => Promise<unknown>;

export function startPipelineWorker<Q extends QueueName>(
  name: Q,
  processor: PipelineProcessor<Q>,
  connection: Redis,
  prefix: string,
  metrics: MonitorMetrics,
  options: PipelineWorkerOptions,
  /** The BullMQ queue, when it is not the stage's own name (one notify queue per sink). */
  queueName: string = name,
): Worker<PipelineJobs[Q]> {
  const worker = new Worker<PipelineJobs[Q]>(
    queueName,
    async (job, token, signal) => {
      const started = performance.now();
      try {
        return await processor(job, signal ?? new AbortController().signal, token ?? "");
      } catch (error) {
        // A job that handed work to child jobs waits for them: not a failure.
        if (error instanceof WaitingChildrenError) throw error;
        metrics.jobFailures.inc({ queue: name });
        if (isCascadeError(error) && !error.retryable)
          throw new UnrecoverableError(redactUrls(error.message));
        throw error;
      } finally {
        metrics.jobDurationSeconds.observe({ queue: name }, (performance.now() - started) / 1000);
      }
    },
    {
      connection,
      prefix,
      // Recorded on each job as `processedBy`: which process ran it.
      name: `${hostname()}-${process.pid}`,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs,
      stalledInterval: options.stalledIntervalMs,
      maxStalledCount: 2,
      settings: {
        backoffStrategy: (attemptsMade, _type, error) =>
          sinkBackoffMs(attemptsMade, error, options.retryPolicy),
      },
    },
  );
  // Failures are counted and logged by the processor wrapper; keep the emitter from throwing.
  worker.on("error", () => undefined);
  return worker;
}
