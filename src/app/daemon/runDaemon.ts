/**
 * Runs the monitor until `signal` aborts: the HTTP port, and either the single-process loop
 * (in-memory state, checkpoint file) or, with a Redis URL, this process's roles of the BullMQ
 * pipeline. The port is bound first, so a port in use stops the start before any cycle runs.
 * Probes and metrics never wait for Redis: reads of the store are bounded (`STORE_READ_TIMEOUT_MS`)
 * and skipped while the connection is down. Shutdown order: workers first (in-flight jobs finish
 * or return within the grace time), then pending deliveries, then the HTTP port, then connections.
 */
import { dirname, join } from "node:path";
import type { Redis } from "ioredis";
import { redactUrls } from "../../adapters/chain/redactUrls.js";
import { DependencyUnavailableError } from "../../adapters/http/DependencyUnavailableError.js";
import { defaultDashboardDir, loadDashboardFiles } from "../../adapters/http/dashboardFiles.js";
import { createMonitorHttpServer, type Readiness } from "../../adapters/http/monitorHttpServer.js";
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
import { DeadlineExceededError, withDeadline } from "../../adapters/timeouts/withDeadline.js";
import type { CascadeConfig } from "../../config/schema/configSchema.js";
import { FatalError, UserInputError } from "../../core/errors.js";
import { buildCollateralGraph } from "../../core/graph/buildCollateralGraph.js";
import type { CollateralGraph } from "../../core/graph/collateralGraph.js";
import type { Snapshot } from "../../core/snapshot/snapshot.js";
import type { Checkpoint } from "../sync/CheckpointStore.js";
import { fileCheckpointStore } from "../sync/fileCheckpointStore.js";
import { buildSinks } from "./buildSinks.js";
import { createCoreEngine } from "./coreEngine.js";
import { type DaemonLogger, errorSummary } from "./daemonLogger.js";
import type { CascadeEngine, EngineBook, SnapshotSource } from "./daemonPorts.js";
import { type DaemonRole, runsSync } from "./daemonRole.js";
import { daemonSettings } from "./daemonSettings.js";
import { type DistributedPipeline, startDistributedPipeline } from "./distributedPipeline.js";
import { limitRepeats } from "./limitRepeats.js";
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
  /** Job lock duration (and stalled-job check interval) of the BullMQ workers; default 30 s. */
  readonly jobLockMs?: number;
  /** The dashboard page's built files (default: `dist/dashboard/` of this package). */
  readonly dashboardDir?: string;
  /** Called with the bound port once the HTTP server listens. */
  readonly onListening?: (port: number) => void;
}

export interface DaemonExit {
  /** True when in-flight work had to be abandoned at the grace timeout. */
  readonly forced: boolean;
}

/** How long the first Redis PING may take before `start` gives up. */
const REDIS_PING_TIMEOUT_MS = 10_000;
/** The longest a probe, a scrape or an API answer waits for the result store (Redis). */
export const STORE_READ_TIMEOUT_MS = 500;
/** How long closing the Redis connection may take at shutdown before it is cut. */
const REDIS_QUIT_TIMEOUT_MS = 1000;

/** Binds the port or says, in one line, that it cannot. */
async function listenOrExplain(
  http: ReturnType<typeof createMonitorHttpServer>,
  port: number,
  host: string,
): Promise<number> {
  try {
    return await http.listen(port, host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE")
      throw new FatalError(
        `${host}:${port} is already in use; stop what listens there or choose another --port / server.port`,
      );
    if (code === "EACCES" || code === "EADDRNOTAVAIL")
      throw new FatalError(`cannot listen on ${host}:${port} (${code}); check --host and --port`);
    throw error;
  }
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

/** The collateral graph of the current snapshot, built once per results version. */
function graphCache(load: (version: number) => Promise<Snapshot | undefined>) {
  let cached: { version: number; graph: CollateralGraph | undefined } | undefined;
  return async (results: MonitorResults | undefined): Promise<CollateralGraph | undefined> => {
    if (results === undefined) return undefined;
    if (cached?.version !== results.version) {
      const snapshot = await load(results.version);
      cached = {
        version: results.version,
        graph: snapshot === undefined ? undefined : buildCollateralGraph(snapshot),
      };
    }
    return cached.graph;
  };
}

export async function runDaemon(options: RunDaemonOptions): Promise<DaemonExit> {
  const { config, signal } = options;
  // Warnings and errors repeat at most once a minute (an outage fails every retry the same way);
  // the log sink writes every notification.
  const logger = limitRepeats(options.logger);
  const metrics = options.metrics ?? createMonitorMetrics();
  const engine = options.engine ?? createCoreEngine();
  const settings = daemonSettings(
    config.scenarios,
    config.alerts,
    config.server.staleAfterSeconds,
    config.risk,
  );
  const sinks = buildSinks(config.sinks, options.logger, config.alerts.repeatIntervalSeconds);
  const nowMs = () => Date.now();
  const elapsedMs = () => performance.now();
  if (options.redisUrl === undefined && options.role !== "all") {
    throw new UserInputError(
      `--role ${options.role}: separate roles need REDIS_URL (the distributed pipeline)`,
    );
  }

  let store: ResultStore | undefined;
  let stopWork: (graceMs: number) => Promise<DaemonExit> = async () => ({ forced: false });
  let connection: Redis | undefined;
  let source: SnapshotSource | undefined;
  let loadSnapshot: (version: number) => Promise<Snapshot | undefined> = async () => undefined;
  let valueAtRisk: ValueAtRiskSchedule | undefined;

  /** The store's newest results, never waiting on Redis longer than `STORE_READ_TIMEOUT_MS`. */
  const readResults = async (): Promise<MonitorResults | undefined> => {
    if (store === undefined) return undefined;
    if (connection !== undefined && connection.status !== "ready")
      throw new DependencyUnavailableError("Redis is not connected; results unknown, retry shortly");
    const from = store;
    try {
      return await withDeadline(STORE_READ_TIMEOUT_MS, signal, () => from.getResults());
    } catch (error) {
      if (error instanceof DeadlineExceededError)
        throw new DependencyUnavailableError(
          `Redis did not answer within ${STORE_READ_TIMEOUT_MS} ms; results unknown, retry shortly`,
        );
      throw error;
    }
  };

  const currentGraph = graphCache((version) => loadSnapshot(version));
  const dashboard = await loadDashboardFiles(options.dashboardDir ?? defaultDashboardDir());
  if (dashboard === undefined)
    logger.warn({}, "the dashboard page is not built (npm run build): / answers 503 until it is");
  // With the core engine, API simulations run in a worker thread that a time limit can stop.
  const simulator = options.engine === undefined ? createThreadedSimulator() : undefined;
  let publishedVersion = -1;
  const freshResults = async (): Promise<MonitorResults | undefined> => {
    const results = await readResults();
    // Processes that do not simulate publish what the simulate workers stored.
    if (results !== undefined && results.version !== publishedVersion) {
      publishedVersion = results.version;
      publishResults(metrics, results);
    }
    return results;
  };
  /** Chains this process's sync stopped following: not ready until an operator restarts it. */
  const stoppedChains = new Map<number, string>();
  const onChainStopped = (chainId: number, reason: string) => {
    stoppedChains.set(chainId, reason);
    logger.error({ chainId, error: redactUrls(reason) }, "chain stopped");
  };
  const readiness = async (): Promise<Readiness> => {
    const [stopped] = stoppedChains.values();
    if (stopped !== undefined) return { ready: false, reason: redactUrls(stopped) };
    try {
      return readinessOf(await freshResults(), nowMs(), settings.staleAfterSeconds);
    } catch (error) {
      if (error instanceof DependencyUnavailableError) return { ready: false, reason: error.message };
      throw error;
    }
  };
  let currentBook: ReturnType<typeof bookCache> | undefined;
  const http = createMonitorHttpServer({
    registry: metrics.registry,
    beforeScrape: async () => {
      // A scrape during a Redis outage serves the last values (and redis_up 0).
      await freshResults().catch(() => undefined);
    },
    getResults: freshResults,
    readiness,
    getAlertBook: async () => (store === undefined ? undefined : store.getAlertBook()),
    getGraph: async () => currentGraph(await readResults()),
    ...(dashboard === undefined ? {} : { dashboard }),
    simulate: async (request, requestSignal) => {
      const results = await readResults();
      currentBook ??= bookCache(engine, (version) => loadSnapshot(version));
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
    onInternalError: (error, path) => logger.error({ path, ...errorSummary(error) }, "HTTP 500"),
    // VaR runs on the single-process monitor's schedule (the distributed pipeline has none).
    ...(config.risk.var.enabled && options.redisUrl === undefined
      ? { getValueAtRisk: async () => valueAtRisk?.latest() }
      : {}),
  });
  // The port first: a port in use must not leave a daemon running cycles with no probes.
  const port = await listenOrExplain(http, options.port, options.host);

  try {
    if (options.redisUrl !== undefined) {
      const redis = createRedisConnection(options.redisUrl);
      connection = redis;
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
      if (runsSync(options.role)) {
        source =
          options.source ??
          (await (
            await import("./indexerSnapshotSource.js")
          ).createIndexerSnapshotSource(config, {
            checkpoints: createRedisCheckpointStore<Checkpoint>(redis, prefix),
            log: (line, fields) => logger.info({ ...fields }, redactUrls(line)),
            signal,
            nowMs,
            metrics,
            onChainStopped,
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
        workerOptions: workerOptionsFrom(options.jobLockMs),
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
      const memory = createMemoryResultStore({
        ...(checkpoint?.results === undefined ? {} : { results: checkpoint.results }),
        ...(checkpoint?.alertBook === undefined ? {} : { alertBook: checkpoint.alertBook }),
      });
      store = memory;
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
          log: (line, fields) => logger.info({ ...fields }, redactUrls(line)),
          signal,
          nowMs,
          metrics,
          onChainStopped,
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
        store: memory,
        metrics,
        sinks,
        settings,
        logger,
        retryPolicy: DEFAULT_RETRY_POLICY,
        startVersion: checkpoint?.version ?? 0,
        ...(checkpoint?.pending === undefined ? {} : { pending: checkpoint.pending }),
        ...(options.checkpointFile === undefined ? {} : { checkpointFile: options.checkpointFile }),
        nowMs,
        elapsedMs,
      });
      const loop = monitor.run(signal);
      loadSnapshot = async (version) =>
        lastSnapshot?.version === version ? lastSnapshot.snapshot : undefined;
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
        // A cycle stuck in a read that ignores the abort must not hold the stop past the grace time.
        const started = elapsedMs();
        let timer: NodeJS.Timeout | undefined;
        const cycleEnded = await Promise.race([
          loop.then(() => true),
          new Promise<false>((resolve) => {
            timer = setTimeout(() => resolve(false), graceMs);
            timer.unref();
          }),
        ]);
        clearTimeout(timer);
        const undelivered = await monitor.drain(Math.max(0, graceMs - (elapsedMs() - started)));
        return { forced: !cycleEnded || undelivered > 0 };
      };
    }
  } catch (error) {
    await http.close();
    simulator?.close();
    await source?.close().catch(() => undefined);
    connection?.disconnect();
    throw error;
  }

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
  if (connection !== undefined) {
    const redis = connection;
    const quit = redis.quit().then(
      () => true,
      () => false,
    );
    const timer = new Promise<false>((resolve) =>
      setTimeout(() => resolve(false), REDIS_QUIT_TIMEOUT_MS).unref(),
    );
    if (!(await Promise.race([quit, timer]))) redis.disconnect();
  }
  logger.info({ forced: exit.forced }, "stopped");
  return exit;
}

/** Worker settings; `jobLockMs` (CASCADE_JOB_LOCK_SECONDS) shortens how soon a dead worker's job is taken over. */
function workerOptionsFrom(jobLockMs: number | undefined) {
  if (jobLockMs === undefined) return DEFAULT_WORKER_OPTIONS;
  return { ...DEFAULT_WORKER_OPTIONS, lockDurationMs: jobLockMs, stalledIntervalMs: jobLockMs };
}
