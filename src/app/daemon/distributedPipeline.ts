/**
 * The daemon as a distributed pipeline on BullMQ: `sync` workers read the chain, store the
 * cycle's book and queue the cycle as a flow: one `cycle-task` job per task (`planCycle`),
 * costliest first, under a `simulate` parent that assembles their results in plan order once all
 * are done, stores them and asks for an alert evaluation. Any number of simulate processes share
 * the tasks. The book goes through Redis as each block's changes, with a whole snapshot now and
 * then (`bookPublisher`); each simulate process keeps its book and applies the changes
 * (`bookFollower`), so a cycle costs it one block's update, not a parse and compile. A sync start
 * while a cycle is still queued or running is skipped (back-pressure), and that cycle's end
 * queues a catch-up sync on the newest block; one `evaluate` job at a time steps the alert book
 * and queues one `notify` job per notification
 * on each sink's own queue (a hanging or failing sink holds only its own deliveries). Any number
 * of processes of each role share one Redis. The job schedulers are upserted again whenever the
 * Redis connection becomes ready, so a Redis that restarted empty gets its periodic work back.
 *
 * Exactly-once alerts: an evaluation's time is its job's creation time, so a retried evaluation
 * reproduces the same notification ids; notify job ids are derived from them (BullMQ ignores a
 * duplicate id), and a delivery marker stops a retried notify job from sending twice.
 */
import type { Job, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { QueueName } from "../../adapters/metrics/metricLabels.js";
import type { MonitorMetrics } from "../../adapters/metrics/monitorMetrics.js";
import type { EvaluateJob, NotifyJob, SimulateJob, TaskJob } from "../../adapters/queue/pipelineJobs.js";
import { jobIds } from "../../adapters/queue/pipelineJobs.js";
import {
  createPipelineQueues,
  notifyQueueName,
  type PipelineQueues,
  TASK_QUEUE,
  upsertPipelineSchedulers,
  VALUE_AT_RISK_QUEUE,
} from "../../adapters/queue/pipelineQueues.js";
import { type PipelineWorkerOptions, startPipelineWorker } from "../../adapters/queue/pipelineWorker.js";
import { createRedisPipelineState } from "../../adapters/queue/redisPipelineState.js";
import type { AlertSink } from "../../adapters/sinks/alertSink.js";
import { attemptDelivery } from "../../adapters/sinks/attemptDelivery.js";
import { SinkGoneError, SinkRejectedError } from "../../adapters/sinks/sinkDeliveryError.js";
import {
  type PositionsAtRiskColumns,
  positionsFromColumns,
  positionsToColumns,
} from "../../adapters/store/positionsAtRiskColumns.js";
import { createRedisResultStore } from "../../adapters/store/redisResultStore.js";
import type { ResultStore } from "../../adapters/store/resultStore.js";
import { FatalError } from "../../core/errors.js";
import { createBookFollower } from "./bookFollower.js";
import { createBookPublisher } from "./bookPublisher.js";
import { endCycle, skipWhileCycleRuns } from "./cycleBackPressure.js";
import {
  assembleResults,
  type CycleTask,
  type CycleTaskResult,
  completeResults,
  longestFirst,
  planCycle,
  runCycleTask,
} from "./cycleTasks.js";
import { type DaemonLogger, errorSummary } from "./daemonLogger.js";
import type { CascadeEngine, SnapshotSource } from "./daemonPorts.js";
import { type DaemonRole, runsNotify, runsSimulate, runsSync } from "./daemonRole.js";
import type { DaemonSettings } from "./daemonSettings.js";
import { type PathsTask, runPathsTask, valueAtRiskProcessor } from "./distributedValueAtRisk.js";
import { evaluateAlerts } from "./evaluateAlerts.js";
import { publishAlertBook, publishResults } from "./publishResults.js";

export interface DistributedDeps {
  readonly role: DaemonRole;
  readonly connection: Redis;
  readonly prefix: string;
  /** Runs the tasks on the core engine's compiled book (which the simulate role keeps and updates). */
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

/**
 * What a task job returns: its place in the plan and its result; a summary's positions at risk
 * go as columns (the largest part of a cycle's results at 1M positions).
 */
interface TaskOutput {
  readonly index: number;
  readonly result: TaskResultSent;
}

type SummaryResult = Extract<CycleTaskResult, { kind: "summary" }>;
type TaskResultSent =
  | Exclude<CycleTaskResult, SummaryResult>
  | (Omit<SummaryResult, "positionsAtRisk"> & { readonly positionsAtRisk: PositionsAtRiskColumns });

const sendResult = (result: CycleTaskResult): TaskResultSent =>
  result.kind === "summary"
    ? { ...result, positionsAtRisk: positionsToColumns(result.positionsAtRisk) }
    : result;

const receiveResult = (result: TaskResultSent): CycleTaskResult =>
  result.kind === "summary"
    ? { ...result, positionsAtRisk: positionsFromColumns(result.positionsAtRisk) }
    : result;

export interface DistributedPipeline {
  readonly store: ResultStore;
  readonly queues: PipelineQueues;
  readonly workers: readonly Worker[];
  /**
   * Closes workers first: in-flight jobs finish within `graceMs`; past it they are cancelled (their
   * signal aborts, the job stays queued for a retry) and the close returns at most a second later,
   * whatever the workers do.
   */
  close(graceMs: number): Promise<{ forced: boolean }>;
}

/** After the grace time, how long the close still waits for workers and queues. */
const FORCED_CLOSE_MS = 1000;

/** Resolves true when `work` settles within `ms`, false otherwise (the timer does not hold the process). */
async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      limit,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export async function startDistributedPipeline(deps: DistributedDeps): Promise<DistributedPipeline> {
  const { connection, prefix } = deps;
  const sinks = new Map(deps.sinks.map((s) => [s.name, s]));
  const queues = createPipelineQueues(connection, prefix, [...sinks.keys()], (error) =>
    deps.logger.warn(errorSummary(error), "queue connection error"),
  );
  const state = createRedisPipelineState(connection, prefix);
  const store = createRedisResultStore(connection, prefix);
  const workers: Worker[] = [];
  /** Sinks whose endpoint answered 410 Gone: disabled in this process until a restart. */
  const gone = new Set<string>();
  const start = <Q extends QueueName>(
    name: Q,
    processor: Parameters<typeof startPipelineWorker<Q>>[1],
    queueName: string = name,
  ) => {
    const worker = startPipelineWorker(
      name,
      processor,
      connection,
      prefix,
      deps.metrics,
      deps.workerOptions,
      queueName,
    );
    worker.on("failed", (job, error) =>
      deps.logger.warn(
        { queue: name, jobId: job?.id, attempts: job?.attemptsMade, ...errorSummary(error) },
        "job failed",
      ),
    );
    workers.push(worker as unknown as Worker);
  };

  /** Whether cycle `version`'s flow is still queued or being worked on. */
  const stillRunning = async (version: number): Promise<boolean> => {
    const jobState = await queues.simulate.getJobState(jobIds.simulate(version));
    return jobState !== "completed" && jobState !== "failed" && jobState !== "unknown";
  };

  /** The catch-up sync after cycle `version`, queued once whoever queues it. */
  const queueCatchUp = async (version: number): Promise<void> => {
    await queues.sync.add("sync", { reason: "catch-up" }, { jobId: jobIds.catchUp(version) });
  };

  if (runsSync(deps.role)) {
    const source = deps.source;
    if (source === undefined) throw new FatalError("the sync role needs a snapshot source");
    const publisher = createBookPublisher(state, deps.settings.scenarios.keyframeEveryCycles);
    start("sync", async (_job, signal) => {
      // Back-pressure: while a cycle runs, a new start would queue work on a block that is stale
      // by the time it runs. Skip it; a catch-up on the newest block follows the cycle's end.
      const skipped = await skipWhileCycleRuns({ state, stillRunning, queueCatchUp });
      if (skipped !== undefined) {
        const { running, behind } = skipped;
        deps.metrics.cyclesSkipped.inc();
        deps.metrics.cyclesBehind.set(behind);
        deps.logger.warn(
          { version: running, cyclesBehind: behind },
          "cycle still running: this start is skipped, the next one reads the newest block",
        );
        return { skipped: running };
      }
      const synced =
        source.syncBook === undefined
          ? await source.sync(signal)
          : await source.syncBook(signal, publisher.wantsWhole);
      const published = await publisher.publish(synced);
      const { version } = published;
      if (published.whole)
        deps.logger.info(
          { version, mode: published.mode ?? "whole", changes: published.changes, bytes: published.bytes },
          "book stored whole",
        );
      await state.resetCyclesBehind();
      deps.metrics.cyclesBehind.set(0);
      await state.setCycleInFlight(version);
      const tasks = planCycle(published.snapshot, deps.settings);
      await queues.addCycle(
        {
          version,
          takenAtMs: published.takenAtMs,
          blocks: published.blocks,
          heads: published.heads,
          tasks,
        },
        longestFirst(tasks),
      );
      return { version, tasks: tasks.length };
    });
  }

  if (runsSimulate(deps.role)) {
    /** The compiled book of the cycle this process's task jobs last worked on, kept up to date. */
    const books = createBookFollower(state, (load) => {
      deps.metrics.bookLoads.inc({ kind: load.keyframe === undefined ? "changes" : "keyframe" });
      if (load.keyframe !== undefined) deps.logger.info({ ...load }, "book loaded whole");
    });
    start(
      "task",
      async (job: Job<TaskJob>) => {
        const { version, index } = job.data;
        const loaded = await books.load(version);
        if (loaded === undefined)
          throw new FatalError(
            `book of cycle ${version} is gone from Redis (expired, or retired by newer results) before its task ${index} ran; the next cycle runs on a newer book`,
          );
        const task = job.data.task as CycleTask | PathsTask;
        if (task.kind === "paths")
          return { from: task.from, outcomes: runPathsTask(deps.engine, loaded.book, task) };
        const result = runCycleTask(deps.engine, loaded.book, loaded.snapshot, task, deps.elapsedMs, {
          inBookOrder: loaded.inBookOrder,
          runs: loaded.runs,
        });
        return { index, result: sendResult(result) } satisfies TaskOutput;
      },
      TASK_QUEUE,
    );
    start("simulate", async (job: Job<SimulateJob>) => {
      const { version } = job.data;
      const tasks = job.data.tasks as readonly CycleTask[];
      const byIndex = new Map<number, CycleTaskResult>();
      for (const output of Object.values(await job.getChildrenValues<TaskOutput>()))
        byIndex.set(output.index, receiveResult(output.result));
      const outputs = completeResults(
        tasks,
        tasks.map((_, i) => byIndex.get(i)),
        version,
      );
      const results = assembleResults(job.data, tasks, outputs, version, deps.nowMs());
      const stored = await store.putResults(results);
      if (stored) publishResults(deps.metrics, results);
      await state.retireSupersededBooks(version);
      await queues.evaluate.add("evaluate", { version }, { jobId: jobIds.evaluate(version) });
      await endCycle({ state, queueCatchUp }, version);
      return { version, stored };
    });
    if (deps.settings.risk.var.enabled)
      start(
        "var",
        valueAtRiskProcessor({
          section: deps.settings.risk.var,
          maxRounds: deps.settings.scenarios.maxRounds,
          queues,
          books,
          state,
          store,
          metrics: deps.metrics,
          logger: deps.logger,
          nowMs: deps.nowMs,
        }),
        VALUE_AT_RISK_QUEUE,
      );
  }

  if (runsNotify(deps.role)) {
    start("evaluate", async (job: Job<EvaluateJob>) => {
      const results = await store.getResults();
      if (results === undefined) return { notifications: 0 };
      // The job's creation time, not the clock: a retry of this job decides exactly the same.
      const step = evaluateAlerts(results, await store.getAlertBook(), deps.settings, job.timestamp);
      if (step.notifications.length > 0)
        await Promise.all(
          [...queues.notify].map(([sink, queue]) =>
            queue.addBulk(
              step.notifications.map((notification) => ({
                name: "notify",
                data: { sink, notification } satisfies NotifyJob,
                opts: { jobId: jobIds.notify(notification.id, sink) },
              })),
            ),
          ),
        );
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
    for (const sink of sinks.values()) {
      const labels = { sink: sink.name, kind: sink.kind };
      start(
        "notify",
        async (job: Job<NotifyJob>, signal) => {
          const deliveryId = job.id ?? jobIds.notify(job.data.notification.id, sink.name);
          if (await state.wasDelivered(deliveryId)) return { delivered: "before" };
          if (gone.has(sink.name)) {
            deps.metrics.notificationsFailed.inc(labels);
            throw new SinkRejectedError(`sink "${sink.name}" is disabled: its endpoint answered 410 Gone`);
          }
          try {
            await attemptDelivery(sink, job.data.notification, signal);
          } catch (error) {
            const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
            if (error instanceof SinkGoneError && !gone.has(sink.name)) {
              gone.add(sink.name);
              deps.metrics.sinkDisabled.set({ sink: sink.name }, 1);
              deps.logger.error(
                { sink: sink.name, ...errorSummary(error) },
                "sink disabled until a restart: its endpoint answered 410 Gone",
              );
            }
            if (lastAttempt || error instanceof SinkRejectedError)
              deps.metrics.notificationsFailed.inc(labels);
            throw error;
          }
          await state.markDelivered(deliveryId);
          deps.metrics.notificationsSent.inc(labels);
          return { delivered: "now" };
        },
        notifyQueueName(sink.name),
      );
    }
  }

  const schedules = deps.schedule ?? runsSync(deps.role);
  const everyMs = Math.round(deps.settings.scenarios.intervalSeconds * 1000);
  const valueAtRisk = deps.settings.risk.var;
  const valueAtRiskEveryMs = valueAtRisk.enabled ? Math.round(valueAtRisk.intervalSeconds * 1000) : undefined;
  // A Redis that restarted without persistence has lost the schedulers: put them back on every
  // (re)connection. Upserting is idempotent, so a Redis that kept them is left as it was.
  const onReady = () => {
    upsertPipelineSchedulers(queues, everyMs, everyMs, valueAtRiskEveryMs).then(
      () => deps.logger.info({}, "Redis connected: job schedulers in place"),
      (error: unknown) => deps.logger.warn(errorSummary(error), "job schedulers not re-created yet"),
    );
  };
  if (schedules) {
    await upsertPipelineSchedulers(queues, everyMs, everyMs, valueAtRiskEveryMs);
    connection.on("ready", onReady);
  }

  return {
    store,
    queues,
    workers,
    async close(graceMs) {
      connection.off("ready", onReady);
      const graceful = Promise.all(workers.map((w) => w.close()));
      graceful.catch(() => undefined);
      let forced = (await settlesWithin(graceful, graceMs)) === false;
      if (forced) {
        // Past the grace time: abort the running jobs (each stays queued and is retried, by this
        // process after a restart or by another worker). A second close() returns the first
        // one's promise in BullMQ, so it cannot be relied on to end: wait a second at most.
        for (const worker of workers) worker.cancelAllJobs("shutting down");
        await settlesWithin(graceful, FORCED_CLOSE_MS);
      }
      if ((await settlesWithin(queues.close(), FORCED_CLOSE_MS)) === false) forced = true;
      return { forced };
    },
  };
}
