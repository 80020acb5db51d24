/**
 * The daemon as a distributed pipeline on BullMQ: `sync` workers read the chain and hand a
 * snapshot to `simulate` workers, which store the results and ask for an alert evaluation;
 * one `evaluate` job at a time steps the alert book and queues one `notify` job per notification
 * and sink. Any number of processes of each role share one Redis.
 *
 * Exactly-once alerts: an evaluation's time is its job's creation time, so a retried evaluation
 * reproduces the same notification ids; notify job ids are derived from them (BullMQ ignores a
 * duplicate id), and a delivery marker stops a retried notify job from sending twice.
 */
import type { Job, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { QueueName } from "../../adapters/metrics/metricLabels.js";
import type { MonitorMetrics } from "../../adapters/metrics/monitorMetrics.js";
import type { EvaluateJob, NotifyJob, SimulateJob } from "../../adapters/queue/pipelineJobs.js";
import { jobIds } from "../../adapters/queue/pipelineJobs.js";
import {
  createPipelineQueues,
  type PipelineQueues,
  upsertPipelineSchedulers,
} from "../../adapters/queue/pipelineQueues.js";
import { type PipelineWorkerOptions, startPipelineWorker } from "../../adapters/queue/pipelineWorker.js";
import { createRedisPipelineState } from "../../adapters/queue/redisPipelineState.js";
import type { AlertSink } from "../../adapters/sinks/alertSink.js";
import { SinkRejectedError } from "../../adapters/sinks/sinkDeliveryError.js";
import { createRedisResultStore } from "../../adapters/store/redisResultStore.js";
import type { ResultStore } from "../../adapters/store/resultStore.js";
import { FatalError } from "../../core/errors.js";
import type { Snapshot } from "../../core/snapshot/snapshot.js";
import { computeResults } from "./computeResults.js";
import { type DaemonLogger, errorSummary } from "./daemonLogger.js";
import type { CascadeEngine, SnapshotSource, SyncedSnapshot } from "./daemonPorts.js";
import { type DaemonRole, runsNotify, runsSimulate, runsSync } from "./daemonRole.js";
import type { DaemonSettings } from "./daemonSettings.js";
import { evaluateAlerts } from "./evaluateAlerts.js";
import { publishAlertBook, publishResults } from "./publishResults.js";

export interface DistributedDeps {
  readonly role: DaemonRole;
  readonly connection: Redis;
  readonly prefix: string;
  readonly engine: CascadeEngine;
  /** Needed by the sync role only. */
  readonly source?: SnapshotSource;
  readonly sinks: readonly AlertSink[];
  readonly settings: DaemonSettings;
  readonly metrics: MonitorMetrics;
  readonly logger: DaemonLogger;
  readonly workerOptions: PipelineWorkerOptions;
  readonly nowMs: () => number;
  readonly elapsedMs: () => number;
  /** Start the job schedulers (sync and re-evaluation); true for the sync role by default. */
  readonly schedule?: boolean;
}

interface SyncedBlob {
  readonly takenAtMs: number;
  readonly blocks: SyncedSnapshot["blocks"];
  readonly heads: SyncedSnapshot["heads"];
  readonly snapshot: Snapshot;
}

export interface DistributedPipeline {
  readonly store: ResultStore;
  readonly queues: PipelineQueues;
  readonly workers: readonly Worker[];
  /** Closes workers first (in-flight jobs finish within `graceMs`, else return to the queue), then queues. */
  close(graceMs: number): Promise<{ forced: boolean }>;
}

export async function startDistributedPipeline(deps: DistributedDeps): Promise<DistributedPipeline> {
  const { connection, prefix } = deps;
  const queues = createPipelineQueues(connection, prefix);
  const state = createRedisPipelineState(connection, prefix);
  const store = createRedisResultStore(connection, prefix);
  const sinks = new Map(deps.sinks.map((s) => [s.name, s]));
  const workers: Worker[] = [];
  const start = <Q extends QueueName>(name: Q, processor: Parameters<typeof startPipelineWorker<Q>>[1]) => {
    const worker = startPipelineWorker(name, processor, connection, prefix, deps.metrics, deps.workerOptions);
    worker.on("failed", (job, error) =>
      deps.logger.warn(
        { queue: name, jobId: job?.id, attempts: job?.attemptsMade, ...errorSummary(error) },
        "job failed",
      ),
    );
    workers.push(worker as unknown as Worker);
  };

  if (runsSync(deps.role)) {
    const source = deps.source;
    if (source === undefined) throw new FatalError("the sync role needs a snapshot source");
    start("sync", async (_job, signal) => {
      const synced = await source.sync(signal);
      const version = await state.nextVersion();
      const blob: SyncedBlob = {
        takenAtMs: synced.takenAtMs,
        blocks: synced.blocks,
        heads: synced.heads,
        snapshot: synced.snapshot,
      };
      await state.putSnapshot(version, JSON.stringify(blob));
      await queues.simulate.add("simulate", { version }, { jobId: jobIds.simulate(version) });
      return { version };
    });
  }

  if (runsSimulate(deps.role)) {
    start("simulate", async (job: Job<SimulateJob>) => {
      const { version } = job.data;
      const json = await state.getSnapshot(version);
      if (json === undefined)
        throw new FatalError(`snapshot of cycle ${version} expired before it was simulated`);
      const blob = JSON.parse(json) as SyncedBlob;
      const results = computeResults(deps.engine, blob, deps.settings, {
        version,
        nowMs: deps.nowMs,
        elapsedMs: deps.elapsedMs,
      });
      const stored = await store.putResults(results);
      if (stored) publishResults(deps.metrics, results);
      await state.retireSupersededSnapshot(version);
      await queues.evaluate.add("evaluate", { version }, { jobId: jobIds.evaluate(version) });
      return { version, stored };
    });
  }

  if (runsNotify(deps.role)) {
    start("evaluate", async (job: Job<EvaluateJob>) => {
      const results = await store.getResults();
      if (results === undefined) return { notifications: 0 };
      // The job's creation time, not the clock: a retry of this job decides exactly the same.
      const step = evaluateAlerts(results, await store.getAlertBook(), deps.settings, job.timestamp);
      const jobs = step.notifications.flatMap((notification) =>
        [...sinks.keys()].map((sink) => ({
          name: "notify",
          data: { sink, notification } satisfies NotifyJob,
          opts: { jobId: jobIds.notify(notification.id, sink) },
        })),
      );
      if (jobs.length > 0) await queues.notify.addBulk(jobs);
      await store.putAlertBook(step.state);
      publishAlertBook(deps.metrics, step.state);
      // Block-to-alert latency: from reading the chain to the notifications queued.
      if (job.data.version > 0 && job.data.version === results.version && job.attemptsMade === 0) {
        deps.metrics.cycleLatencySeconds.observe(
          Math.max(0, deps.nowMs() - results.snapshotTakenAtMs) / 1000,
        );
      }
      return { notifications: step.notifications.length };
    });
    start("notify", async (job: Job<NotifyJob>, signal) => {
      const sink = sinks.get(job.data.sink);
      if (sink === undefined) throw new FatalError(`sink "${job.data.sink}" is no longer configured`);
      const deliveryId = job.id ?? jobIds.notify(job.data.notification.id, sink.name);
      if (await state.wasDelivered(deliveryId)) return { delivered: "before" };
      const labels = { sink: sink.name, kind: sink.kind };
      try {
        await sink.deliver(job.data.notification, signal);
      } catch (error) {
        const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        if (lastAttempt || error instanceof SinkRejectedError) deps.metrics.notificationsFailed.inc(labels);
        throw error;
      }
      await state.markDelivered(deliveryId);
      deps.metrics.notificationsSent.inc(labels);
      return { delivered: "now" };
    });
  }

  if (deps.schedule ?? runsSync(deps.role)) {
    const everyMs = Math.round(deps.settings.scenarios.intervalSeconds * 1000);
    await upsertPipelineSchedulers(queues, everyMs, everyMs);
  }

  return {
    store,
    queues,
    workers,
    async close(graceMs) {
      let forced = false;
      const graceful = Promise.all(workers.map((w) => w.close()));
      const timer = new Promise<"timeout">((resolve) =>
        setTimeout(() => resolve("timeout"), graceMs).unref(),
      );
      if ((await Promise.race([graceful.then(() => "done" as const), timer])) === "timeout") {
        // Jobs still running go back to the queue when their lock expires; another worker takes them.
        forced = true;
        await Promise.all(workers.map((w) => w.close(true)));
      }
      await queues.close();
      return { forced };
    },
  };
}
