/**
 * The pipeline's four BullMQ queues under one prefix, with bounded job retention and retry
 * backoff as defaults, and the job schedulers that start periodic work.
 */
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { QueueName } from "../metrics/metricLabels.js";
import { ATTEMPTS, KEEP_COMPLETED, KEEP_FAILED, type PipelineJobs } from "./pipelineJobs.js";

export type PipelineQueues = { readonly [Q in QueueName]: Queue<PipelineJobs[Q]> } & {
  close(): Promise<void>;
};

function queue<Q extends QueueName>(name: Q, connection: Redis, prefix: string): Queue<PipelineJobs[Q]> {
  return new Queue<PipelineJobs[Q]>(name, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: ATTEMPTS[name],
      // Notifications use the sink-aware strategy (Retry-After); the rest exponential from 1 s.
      backoff: name === "notify" ? { type: "sink" } : { type: "exponential", delay: 1000 },
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: KEEP_FAILED,
    },
  });
}

export function createPipelineQueues(connection: Redis, prefix: string): PipelineQueues {
  const queues = {
    sync: queue("sync", connection, prefix),
    simulate: queue("simulate", connection, prefix),
    evaluate: queue("evaluate", connection, prefix),
    notify: queue("notify", connection, prefix),
  };
  return {
    ...queues,
    async close() {
      await Promise.all(Object.values(queues).map((q) => q.close()));
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
