/**
 * Runs the monitor until `signal` aborts: the HTTP port, and either the single-process loop
 * (in-memory state, checkpoint file) or, with a Redis URL, this process's roles of the BullMQ
 * pipeline. Shutdown order: workers first (in-flight jobs finish or return within the grace
 * time), then pending deliveries, then the HTTP port, then connections.
 */
import { dirname, join } from "node:path";
import type { Redis } from "ioredis";
import { redactUrls } from "../../adapters/chain/redactUrls.js";
import { createMonitorHttpServer } from "../../adapters/http/monitorHttpServer.js";
import { createMonitorMetrics, type MonitorMetrics } from "../../adapters/metrics/monitorMetrics.js";
import { DEFAULT_WORKER_OPTIONS } from "../../adapters/queue/pipelineWorker.js";
import { createRedisCheckpointStore } from "../../adapters/queue/redisCheckpointStore.js";
import { createRedisConnection } from "../../adapters/queue/redisConnection.js";
import { createRedisPipelineState } from "../../adapters/queue/redisPipelineState.js";
import { DEFAULT_RETRY_POLICY } from "../../adapters/sinks/deliverWithRetry.js";
import { readCheckpoint } from "../../adapters/store/checkpointFile.js";
import { createMemoryResultStore } from "../../adapters/store/memoryResultStore.js";
import type { MonitorResults } from "../../adapters/store/monitorResults.js";
import type { ResultStore } from "../../adapters/store/resultStore.js";
import type { CascadeConfig } from "../../config/schema/configSchema.js";
import { FatalError, UserInputError } from "../../core/errors.js";
import type { Snapshot } from "../../core/snapshot/snapshot.js";
import type { Checkpoint } from "../sync/CheckpointStore.js";
import { fileCheckpointStore } from "../sync/fileCheckpointStore.js";
import { buildSinks } from "./buildSinks.js";
import { createCoreEngine } from "./coreEngine.js";
import type { DaemonLogger } from "./daemonLogger.js";
import type { CascadeEngine, EngineBook, SnapshotSource } from "./daemonPorts.js";
import { type DaemonRole, runsSync } from "./daemonRole.js";
import { daemonSettings } from "./daemonSettings.js";
import { type DistributedPipeline, startDistributedPipeline } from "./distributedPipeline.js";
import { publishResults } from "./publishResults.js";
import { readinessOf } from "./readiness.js";
import { createSingleProcessMonitor } from "./singleProcessMonitor.js";
import { createThreadedSimulator } from "./threadedSimulator.js";
import { createValueAtRiskSchedule, type ValueAtRiskSchedule } from "./valueAtRiskSchedule.js";

export interface RunDaemonOptions {
  readonly config: CascadeConfig;
  readonly role: DaemonRole;
  readonly host: string;
  readonly port: number;
  readonly redisUrl?: string;
  /** BullMQ and state key prefix in Redis. */
  readonly redisPrefix: string;
  readonly checkpointFile?: string;
  readonly logger: DaemonLogger;
  readonly signal: AbortSignal;
  /** How long in-flight jobs and deliveries may take to finish after a stop request. */
  readonly graceMs: number;
  /** Replaces the indexers (tests, the embedded devnet wiring). */
  readonly source?: SnapshotSource;
  readonly engine?: CascadeEngine;
  readonly metrics?: MonitorMetrics;
  /** Called with the bound port once the HTTP server listens. */
  readonly onListening?: (port: number) => void;
}

export interface DaemonExit {
  /** True when in-flight work had to be abandoned at the grace timeout. */
  readonly forced: boolean;
}

/** How long the first Redis PING may take before `start` gives up. */
const REDIS_PING_TIMEOUT_MS = 10_000;

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

/** A compiled book cached per results version, for `POST /api/simulate`. */
function bookCache(engine: CascadeEngine, load: (version: number) => Promise<Snapshot | undefined>) {
  let cached: { version: number; book: EngineBook } | undefined;
  return async (results: MonitorResults | undefined): Promise<EngineBook> => {
    if (results === undefined) throw new UserInputError("no snapshot yet: the first sync has not finished");
    if (cached?.version !== results.version) {
      const snapshot = await load(results.version);
      if (snapshot === undefined)
        throw new UserInputError("the current snapshot is not available in this process");
      cached = { version: results.version, book: engine.compile(snapshot) };
    }
    return cached.book;
  };
}

export async function runDaemon(options: RunDaemonOptions): Promise<DaemonExit> {
  const { config, logger, signal } = options;
  const metrics = options.metrics ?? createMonitorMetrics();
  const engine = options.engine ?? createCoreEngine();
  const settings = daemonSettings(
    config.scenarios,
    config.alerts,
    config.server.staleAfterSeconds,
    config.risk,
  );
  const sinks = buildSinks(config.sinks, logger);
  const nowMs = () => Date.now();
  const elapsedMs = () => performance.now();
  if (options.redisUrl === undefined && options.role !== "all") {
    throw new UserInputError(
      `--role ${options.role}: separate roles need REDIS_URL (the distributed pipeline)`,
    );
  }

  let store: ResultStore;
  let stopWork: (graceMs: number) => Promise<DaemonExit>;
  let connection: Redis | undefined;
  let source: SnapshotSource | undefined;
  let loadSnapshot: (version: number) => Promise<Snapshot | undefined>;
  let valueAtRisk: ValueAtRiskSchedule | undefined;

  if (options.redisUrl !== undefined) {
    const redis = createRedisConnection(options.redisUrl);
    connection = redis;
    await pingRedis(redis, REDIS_PING_TIMEOUT_MS);
    const prefix = options.redisPrefix;
    if (runsSync(options.role)) {
      source =
        options.source ??
        (await (
          await import("./indexerSnapshotSource.js")
        ).createIndexerSnapshotSource(config, {
          checkpoints: createRedisCheckpointStore<Checkpoint>(redis, prefix),
          log: (line) => logger.info({}, redactUrls(line)),
          signal,
          nowMs,
          metrics,
        }));
    }
    const pipeline: DistributedPipeline = await startDistributedPipeline({
      role: options.role,
      connection: redis,
      prefix,
      engine,
      ...(source === undefined ? {} : { source }),
      sinks,
      settings,
      metrics,
      logger,
      workerOptions: DEFAULT_WORKER_OPTIONS,
      nowMs,
      elapsedMs,
    });
    if (runsSync(options.role)) await pipeline.queues.sync.add("sync", { reason: "manual" });
    store = pipeline.store;
    const state = createRedisPipelineState(redis, prefix);
    loadSnapshot = async (version) => {
      const json = await state.getSnapshot(version);
      return json === undefined ? undefined : (JSON.parse(json) as { snapshot: Snapshot }).snapshot;
    };
    stopWork = async (graceMs) => pipeline.close(graceMs);
  } else {
    const checkpoint =
      options.checkpointFile === undefined ? undefined : await readCheckpoint(options.checkpointFile);
    store = createMemoryResultStore({
      ...(checkpoint?.results === undefined ? {} : { results: checkpoint.results }),
      ...(checkpoint?.alertBook === undefined ? {} : { alertBook: checkpoint.alertBook }),
    });
    if (checkpoint?.results !== undefined) publishResults(metrics, checkpoint.results);
    const resolvedSource =
      options.source ??
      (await (
        await import("./indexerSnapshotSource.js")
      ).createIndexerSnapshotSource(config, {
        // Beside the daemon's checkpoint, the indexers keep theirs: a restart resumes the log scan.
        ...(options.checkpointFile === undefined
          ? {}
          : { checkpoints: fileCheckpointStore(join(dirname(options.checkpointFile), "indexer")) }),
        log: (line) => logger.info({}, redactUrls(line)),
        signal,
        nowMs,
        metrics,
      }));
    source = resolvedSource;
    let lastSnapshot: { version: number; snapshot: Snapshot } | undefined;
    const remembering: SnapshotSource = {
      sync: async (s) => {
        const synced = await resolvedSource.sync(s);
        lastSnapshot = { version: monitor.version + 1, snapshot: synced.snapshot };
        return synced;
      },
      close: () => resolvedSource.close(),
    };
    const monitor = createSingleProcessMonitor({
      engine,
      source: remembering,
      store,
      metrics,
      sinks,
      settings,
      logger,
      retryPolicy: DEFAULT_RETRY_POLICY,
      startVersion: checkpoint?.version ?? 0,
      ...(options.checkpointFile === undefined ? {} : { checkpointFile: options.checkpointFile }),
      nowMs,
      elapsedMs,
    });
    const loop = monitor.run(signal);
    loadSnapshot = async (version) => (lastSnapshot?.version === version ? lastSnapshot.snapshot : undefined);
    const schedule = config.risk.var.enabled
      ? createValueAtRiskSchedule({
          section: config.risk.var,
          maxRounds: config.scenarios.maxRounds,
          latestSnapshot: () => lastSnapshot,
          metrics,
          logger,
          nowMs,
          elapsedMs,
        })
      : undefined;
    valueAtRisk = schedule;
    const riskLoop = schedule?.run(signal) ?? Promise.resolve();
    stopWork = async (graceMs) => {
      await schedule?.close();
      await riskLoop;
      await loop;
      const undelivered = await monitor.drain(graceMs);
      return { forced: undelivered > 0 };
    };
  }

  const currentBook = bookCache(engine, loadSnapshot);
  // With the core engine, API simulations run in a worker thread that a time limit can stop.
  const simulator = options.engine === undefined ? createThreadedSimulator() : undefined;
  let publishedVersion = -1;
  const freshResults = async (): Promise<MonitorResults | undefined> => {
    const results = await store.getResults();
    // Processes that do not simulate publish what the simulate workers stored.
    if (results !== undefined && results.version !== publishedVersion) {
      publishedVersion = results.version;
      publishResults(metrics, results);
    }
    return results;
  };
  const http = createMonitorHttpServer({
    registry: metrics.registry,
    beforeScrape: async () => {
      await freshResults();
    },
    getResults: freshResults,
    readiness: async () => readinessOf(await freshResults(), nowMs(), settings.staleAfterSeconds),
    simulate: async (request, requestSignal) => {
      const results = await store.getResults();
      if (simulator === undefined || results === undefined)
        return engine.simulate(await currentBook(results), request.shock, request.maxRounds);
      return simulator.simulate(
        results.version,
        () => loadSnapshot(results.version),
        request.shock,
        request.maxRounds,
        requestSignal,
      );
    },
    ...(config.server.bearerToken === undefined ? {} : { bearerToken: config.server.bearerToken }),
    maxBodyBytes: config.server.maxBodyBytes,
    simulateTimeoutMs: config.server.simulateTimeoutSeconds * 1000,
    ...(valueAtRisk === undefined ? {} : { getValueAtRisk: async () => valueAtRisk?.latest() }),
  });
  const port = await http.listen(options.port, options.host);
  logger.info(
    { host: options.host, port, role: options.role, distributed: connection !== undefined },
    "monitor listening",
  );
  options.onListening?.(port);

  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
  logger.info({ graceMs: options.graceMs }, "stopping: closing workers first");
  const exit = await stopWork(options.graceMs);
  await http.close();
  simulator?.close();
  await source?.close();
  if (connection !== undefined) await connection.quit().catch(() => connection?.disconnect());
  logger.info({ forced: exit.forced }, "stopped");
  return exit;
}
