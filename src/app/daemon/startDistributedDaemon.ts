/**
 * The daemon as this process's roles of the BullMQ pipeline on one Redis: results, snapshots, the
 * cycle lag and the newest VaR run live in Redis, so every process (an `api` one too) serves them.
 * Reads of the store never wait longer than `STORE_READ_TIMEOUT_MS` and are refused while the
 * connection is down, so probes and scrapes never hang on Redis.
 */
import type { Redis } from "ioredis";
import { DependencyUnavailableError } from "../../adapters/http/DependencyUnavailableError.js";
import { DEFAULT_WORKER_OPTIONS, type PipelineWorkerOptions } from "../../adapters/queue/pipelineWorker.js";
import { createRedisCheckpointStore } from "../../adapters/queue/redisCheckpointStore.js";
import { createRedisConnection } from "../../adapters/queue/redisConnection.js";
import { createRedisPipelineState } from "../../adapters/queue/redisPipelineState.js";
import type { ValueAtRiskSummary } from "../../adapters/store/monitorResults.js";
import { DeadlineExceededError, withDeadline } from "../../adapters/timeouts/withDeadline.js";
import { FatalError } from "../../core/errors.js";
import type { Checkpoint } from "../sync/CheckpointStore.js";
import { type BookFollower, createBookFollower } from "./bookFollower.js";
import type { DaemonContext } from "./daemonContext.js";
import type { SnapshotSource } from "./daemonPorts.js";
import { type DaemonRole, runsSync } from "./daemonRole.js";
import type { DaemonRuntime } from "./daemonRuntime.js";
import { startDistributedPipeline } from "./distributedPipeline.js";
import { syncLog } from "./syncLog.js";

/** How long the first Redis PING may take before the start gives up. */
const REDIS_PING_TIMEOUT_MS = 10_000;
/** The longest a probe, a scrape or an API answer waits for the result store (Redis). */
export const STORE_READ_TIMEOUT_MS = 500;
/** How long closing the Redis connection may take at shutdown before it is cut. */
const REDIS_QUIT_TIMEOUT_MS = 1000;

export interface DistributedOptions {
  readonly role: DaemonRole;
  readonly redisUrl: string;
  /** BullMQ and state key prefix in Redis. */
  readonly redisPrefix: string;
  /** Replaces the indexers (tests). */
  readonly source?: SnapshotSource;
  /** Job lock duration (and stalled-job check interval) of the BullMQ workers; default 30 s. */
  readonly jobLockMs?: number;
  readonly onChainStopped: (chainId: number, reason: string) => void;
}

/** Fails fast, without the URL (it may hold a password), when Redis does not answer. */
async function pingRedis(redis: Redis, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new FatalError(`Redis (REDIS_URL) did not answer PING within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([redis.ping(), timeout]);
  } catch (error) {
    redis.disconnect();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Worker settings; `jobLockMs` (CASCADE_JOB_LOCK_SECONDS) shortens how soon a dead worker's job is taken over. */
function workerOptionsFrom(jobLockMs: number | undefined): PipelineWorkerOptions {
  if (jobLockMs === undefined) return DEFAULT_WORKER_OPTIONS;
  return { ...DEFAULT_WORKER_OPTIONS, lockDurationMs: jobLockMs, stalledIntervalMs: jobLockMs };
}

export async function startDistributedDaemon(
  context: DaemonContext,
  options: DistributedOptions,
): Promise<DaemonRuntime> {
  const { config, metrics, logger, clock, signal } = context;
  const redis = createRedisConnection(options.redisUrl);
  await pingRedis(redis, REDIS_PING_TIMEOUT_MS);
  metrics.redisUp.set(1);
  let redisDown = false;
  redis.on("ready", () => {
    metrics.redisUp.set(1);
    if (redisDown) logger.info({}, "Redis connection back");
    redisDown = false;
  });
  redis.on("close", () => {
    metrics.redisUp.set(0);
    if (!redisDown && !signal.aborted) logger.warn({}, "Redis connection lost; reconnecting");
    redisDown = true;
  });
  const prefix = options.redisPrefix;
  let source: SnapshotSource | undefined;
  try {
    if (runsSync(options.role)) {
      source =
        options.source ??
        (await (
          await import("./indexerSnapshotSource.js")
        ).createIndexerSnapshotSource(config, {
          checkpoints: createRedisCheckpointStore<Checkpoint>(redis, prefix),
          log: syncLog(logger),
          signal,
          nowMs: clock.nowMs,
          metrics,
          onChainStopped: options.onChainStopped,
        }));
    }
    const pipeline = await startDistributedPipeline({
      role: options.role,
      connection: redis,
      prefix,
      engine: context.engine,
      ...(source === undefined ? {} : { source }),
      sinks: context.sinks,
      settings: context.settings,
      metrics,
      logger,
      workerOptions: workerOptionsFrom(options.jobLockMs),
      nowMs: clock.nowMs,
      elapsedMs: clock.elapsedMs,
    });
    if (runsSync(options.role)) await pipeline.queues.sync.add("sync", { reason: "manual" });
    const state = createRedisPipelineState(redis, prefix);

    /** One bounded read of Redis, refused at once while the connection is down. */
    const bounded = async <T>(what: string, read: () => Promise<T>): Promise<T> => {
      if (redis.status !== "ready")
        throw new DependencyUnavailableError(`Redis is not connected; ${what} unknown, retry shortly`);
      try {
        return await withDeadline(STORE_READ_TIMEOUT_MS, signal, read);
      } catch (error) {
        if (error instanceof DeadlineExceededError)
          throw new DependencyUnavailableError(
            `Redis did not answer within ${STORE_READ_TIMEOUT_MS} ms; ${what} unknown, retry shortly`,
          );
        throw error;
      }
    };
    const closeSource = source;
    /** The API's own book, for its simulations (apart from the task jobs' one, which is at another cycle). */
    let apiBook: BookFollower | undefined;
    return {
      readResults: () => bounded("results", () => pipeline.store.getResults()),
      getAlertBook: () => pipeline.store.getAlertBook(),
      loadSnapshot: async (version) => {
        apiBook ??= createBookFollower(state);
        return (await apiBook.load(version))?.snapshot;
      },
      cyclesBehind: () => bounded("cycle lag", () => state.cyclesBehind()),
      valueAtRisk: async () => {
        const json = await bounded("value-at-risk", () => state.getValueAtRisk());
        return json === undefined ? undefined : (JSON.parse(json) as ValueAtRiskSummary);
      },
      stopWork: (graceMs) => pipeline.close(graceMs),
      async close() {
        await closeSource?.close();
        const quit = redis.quit().then(
          () => true,
          () => false,
        );
        const timer = new Promise<false>((resolve) =>
          setTimeout(() => resolve(false), REDIS_QUIT_TIMEOUT_MS).unref(),
        );
        if (!(await Promise.race([quit, timer]))) redis.disconnect();
      },
    };
  } catch (error) {
    await source?.close().catch(() => undefined);
    redis.disconnect();
    throw error;
  }
}
