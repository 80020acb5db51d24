/**
 * The pipeline's BullMQ queues under one prefix, with bounded job retention and retry backoff as
 * defaults, and the job schedulers that start periodic work. Notifications have one queue per
 * sink (`notify-<sink>`), each with its own worker: a sink that hangs or fails holds only its own
 * deliveries, never another sink's.
 */
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { QueueName } from "../metrics/metricLabels.js";
import { ATTEMPTS, KEEP_COMPLETED, KEEP_FAILED, type NotifyJob, type PipelineJobs } from "./pipelineJobs.js";

export type StageName = Exclude<QueueName, "notify">;

export type PipelineQueues = { readonly [Q in StageName]: Queue<PipelineJobs[Q]> } & {
  /** The notify queue of each configured sink, by sink name. */
  readonly notify: ReadonlyMap<string, Queue<NotifyJob>>;
  close(): Promise<void>;
};

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
    evaluate: queue("evaluate", "evaluate", connection, prefix, onError),
  };
  const notify = new Map(
    sinkNames.map((sink) => [sink, queue("notify", notifyQueueName(sink), connection, prefix, onError)]),
  );
  return {
    ...stages,
    notify,
    async close() {
      await Promise.all([...Object.values(stages), ...notify.values()].map((q) => q.close()));
    },
  };
}

/** Upserts the periodic jobs: a sync every `syncEveryMs`, an alert re-evaluation every `evaluateEveryMs`. */
export async function upsertPipelineSchedulers(
  queues: PipelineQueues,
  syncEveryMs: number,
  evaluateEveryMs: number,
): Promise<void> {
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
