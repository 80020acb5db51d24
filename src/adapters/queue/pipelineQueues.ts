/**
 * The pipeline's BullMQ queues under one prefix, with bounded job retention and retry backoff as
 * defaults, and the job schedulers that start periodic work. Notifications have one queue per
 * sink (`notify-<sink>`), each with its own worker: a sink that hangs or fails holds only its own
 * deliveries, never another sink's.
 */
import { FlowProducer, Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { QueueName } from "../metrics/metricLabels.js";
import {
  ATTEMPTS,
  jobIds,
  KEEP_COMPLETED,
  KEEP_FAILED,
  type NotifyJob,
  type PipelineJobs,
  type SimulateJob,
  type TaskJob,
} from "./pipelineJobs.js";

export type StageName = Exclude<QueueName, "notify">;

export type PipelineQueues = { readonly [Q in StageName]: Queue<PipelineJobs[Q]> } & {
  /** The notify queue of each configured sink, by sink name. */
  readonly notify: ReadonlyMap<string, Queue<NotifyJob>>;
  /**
   * Adds one cycle as a flow: the `simulate` parent and one `task` child per task, atomically.
   * Ids are the cycle's (`simulate-v…`, `task-v…-i`), so adding the same cycle twice adds nothing.
   * A task that fails its last attempt fails the parent: the cycle is dropped, the next one runs.
   * `childOrder` lists the task indices in the order they are queued (default: plan order).
   */
  addCycle(job: SimulateJob, childOrder?: readonly number[]): Promise<void>;
  close(): Promise<void>;
};

/** The BullMQ queue of the task jobs (cycle tasks and VaR paths). */
export const TASK_QUEUE = "cycle-task";
/** The BullMQ queue of the VaR runs. */
export const VALUE_AT_RISK_QUEUE = "value-at-risk";

/** The BullMQ queue name of one sink's deliveries. */
export const notifyQueueName = (sink: string): string => `notify-${sink}`;

function queue<Q extends QueueName>(
  kind: Q,
  name: string,
  connection: Redis,
  prefix: string,
  onError: (error: Error) => void,
): Queue<PipelineJobs[Q]> {
  const q = new Queue<PipelineJobs[Q]>(name, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: ATTEMPTS[kind],
      // Notifications use the sink-aware strategy (Retry-After); the rest exponential from 1 s.
      backoff: kind === "notify" ? { type: "sink" } : { type: "exponential", delay: 1000 },
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: KEEP_FAILED,
    },
  });
  q.on("error", onError);
  return q;
}

export function createPipelineQueues(
  connection: Redis,
  prefix: string,
  sinkNames: readonly string[],
  onError: (error: Error) => void = () => undefined,
): PipelineQueues {
  const stages = {
    sync: queue("sync", "sync", connection, prefix, onError),
    simulate: queue("simulate", "simulate", connection, prefix, onError),
    task: queue("task", TASK_QUEUE, connection, prefix, onError),
    var: queue("var", VALUE_AT_RISK_QUEUE, connection, prefix, onError),
    evaluate: queue("evaluate", "evaluate", connection, prefix, onError),
  };
  const notify = new Map(
    sinkNames.map((sink) => [sink, queue("notify", notifyQueueName(sink), connection, prefix, onError)]),
  );
  const flows = new FlowProducer({ connection, prefix });
  flows.on("error", onError);
  const jobOptions = (kind: "simulate" | "task") => ({
    attempts: ATTEMPTS[kind],
    backoff: { type: "exponential", delay: 1000 },
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: KEEP_FAILED,
  });
  return {
    ...stages,
    notify,
    async addCycle(job, childOrder = job.tasks.map((_, index) => index)) {
      await flows.add({
        name: "simulate",
        queueName: "simulate",
        data: job,
        opts: { ...jobOptions("simulate"), jobId: jobIds.simulate(job.version) },
        children: childOrder.map((index) => ({
          name: "task",
          queueName: TASK_QUEUE,
          data: { version: job.version, index, task: job.tasks[index] } satisfies TaskJob,
          opts: {
            ...jobOptions("task"),
            jobId: jobIds.task(job.version, index),
            failParentOnFailure: true,
          },
        })),
      });
    },
    async close() {
      await Promise.all([...Object.values(stages), ...notify.values(), flows].map((q) => q.close()));
    },
  };
}

/**
 * Upserts the periodic jobs: a sync every `syncEveryMs`, an alert re-evaluation every
 * `evaluateEveryMs`, and a VaR run every `valueAtRiskEveryMs` (none when undefined: a scheduler
 * left by an earlier configuration is removed).
 */
export async function upsertPipelineSchedulers(
  queues: PipelineQueues,
  syncEveryMs: number,
  evaluateEveryMs: number,
  valueAtRiskEveryMs?: number,
): Promise<void> {
  if (valueAtRiskEveryMs === undefined) await queues.var.removeJobScheduler("var-every");
  else
    await queues.var.upsertJobScheduler(
      "var-every",
      { every: valueAtRiskEveryMs },
      { name: "var", data: {} },
    );
  await queues.sync.upsertJobScheduler(
    "sync-every",
    { every: syncEveryMs },
    { name: "sync", data: { reason: "schedule" } },
  );
  await queues.evaluate.upsertJobScheduler(
    "evaluate-every",
    { every: evaluateEveryMs },
    { name: "evaluate", data: { version: 0 } },
  );
  // One alert evaluation at a time across every process: the alert book is read-modify-write.
  await queues.evaluate.setGlobalConcurrency(1);
}
