/**
 * Runs the monitor until `signal` aborts. The one composition root of the daemon: it builds the
 * runtime context (config, settings, logger, metrics, clocks, signal, engine, sinks) once, binds
 * the HTTP port first (a port in use stops the start before any cycle runs), then starts either
 * the single-process monitor or this process's roles of the distributed pipeline on that same
 * context. Shutdown order: work first (in-flight jobs or the cycle finish or return within the
 * grace time, then pending deliveries), then the HTTP port, then sources and connections.
 */
import { redactUrls } from "../../adapters/chain/redactUrls.js";
import { DependencyUnavailableError } from "../../adapters/http/DependencyUnavailableError.js";
import { defaultDashboardDir, loadDashboardFiles } from "../../adapters/http/dashboardFiles.js";
import { createMonitorHttpServer, type Readiness } from "../../adapters/http/monitorHttpServer.js";
import type { MonitorMetrics } from "../../adapters/metrics/monitorMetrics.js";
import type { MonitorResults, ValueAtRiskSummary } from "../../adapters/store/monitorResults.js";
import type { CascadeConfig } from "../../config/schema/configSchema.js";
import { FatalError, UserInputError } from "../../core/errors.js";
import { buildCollateralGraph } from "../../core/graph/buildCollateralGraph.js";
import type { CollateralGraph } from "../../core/graph/collateralGraph.js";
import type { Snapshot } from "../../core/snapshot/snapshot.js";
import { createDaemonContext, type DaemonClock } from "./daemonContext.js";
import { type DaemonLogger, errorSummary } from "./daemonLogger.js";
import type { CascadeEngine, EngineBook, SnapshotSource } from "./daemonPorts.js";
import type { DaemonRole } from "./daemonRole.js";
import type { DaemonExit, DaemonRuntime } from "./daemonRuntime.js";
import { publishResults } from "./publishResults.js";
import { readinessOf } from "./readiness.js";
import { startDistributedDaemon } from "./startDistributedDaemon.js";
import { startSingleProcessDaemon } from "./startSingleProcessDaemon.js";
import { createThreadedSimulator } from "./threadedSimulator.js";

export type { DaemonExit } from "./daemonRuntime.js";
export { STORE_READ_TIMEOUT_MS } from "./startDistributedDaemon.js";

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
  readonly clock?: DaemonClock;
  /** Job lock duration (and stalled-job check interval) of the BullMQ workers; default 30 s. */
  readonly jobLockMs?: number;
  /** The dashboard page's built files (default: `dist/dashboard/` of this package). */
  readonly dashboardDir?: string;
  /** Called with the bound port once the HTTP server listens. */
  readonly onListening?: (port: number) => void;
}

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

/**
 * Names the book of `results`: its version and when its snapshot was taken, since version
 * numbers start again at 1 after Redis lost its data.
 */
const bookKeyOf = (results: MonitorResults): string => `${results.version}@${results.snapshotTakenAtMs}`;

/** A value computed once per results' book (a compiled book, a graph). */
function perBook<T>(load: (version: number) => Promise<T>) {
  let cached: { key: string; value: T } | undefined;
  return async (results: MonitorResults): Promise<T> => {
    const key = bookKeyOf(results);
    if (cached?.key !== key) cached = { key, value: await load(results.version) };
    return cached.value;
  };
}

export async function runDaemon(options: RunDaemonOptions): Promise<DaemonExit> {
  if (options.redisUrl === undefined && options.role !== "all") {
    throw new UserInputError(
      `--role ${options.role}: separate roles need REDIS_URL (the distributed pipeline)`,
    );
  }
  const context = createDaemonContext(options);
  const { config, metrics, logger, signal, engine } = context;
  /** Set once the mode has started; the HTTP port answers "not synced yet" before. */
  let runtime: DaemonRuntime | undefined;
  const loadSnapshot = async (version: number): Promise<Snapshot | undefined> =>
    runtime?.loadSnapshot(version);
  const readResults = async (): Promise<MonitorResults | undefined> => runtime?.readResults();

  const graphOf = perBook<CollateralGraph | undefined>(async (version) => {
    const snapshot = await loadSnapshot(version);
    return snapshot === undefined ? undefined : buildCollateralGraph(snapshot);
  });
  const bookOf = perBook<EngineBook>(async (version) => {
    const snapshot = await loadSnapshot(version);
    if (snapshot === undefined)
      throw new UserInputError("the current snapshot is not available in this process");
    return engine.compile(snapshot);
  });
  const dashboard = await loadDashboardFiles(options.dashboardDir ?? defaultDashboardDir());
  if (dashboard === undefined)
    logger.warn({}, "the dashboard page is not built (npm run build): / answers 503 until it is");
  // With the core engine, API simulations run in a worker thread that a time limit can stop.
  const simulator = context.coreEngine ? createThreadedSimulator() : undefined;
  let publishedBook: string | undefined;
  const freshResults = async (): Promise<MonitorResults | undefined> => {
    const results = await readResults();
    // Processes that do not simulate publish what the simulate workers stored.
    const key = results === undefined ? undefined : bookKeyOf(results);
    if (results !== undefined && key !== publishedBook) {
      publishedBook = key;
      publishResults(metrics, results);
    }
    return results;
  };
  let publishedValueAtRiskAtMs = -1;
  const freshValueAtRisk = async (): Promise<ValueAtRiskSummary | undefined> => {
    const report = await runtime?.valueAtRisk();
    // In distributed mode the run was aggregated in whichever process took the job: every
    // process serves its gauges once it sees a newer run.
    if (report !== undefined && report.computedAtMs !== publishedValueAtRiskAtMs) {
      publishedValueAtRiskAtMs = report.computedAtMs;
      metrics.recordValueAtRisk(report);
    }
    return report;
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
      const results = await freshResults();
      const cyclesBehind = (await runtime?.cyclesBehind()) ?? 0;
      metrics.cyclesBehind.set(cyclesBehind);
      return readinessOf(results, context.clock.nowMs(), context.settings.staleAfterSeconds, {
        cyclesBehind,
        maxCyclesBehind: config.server.maxCyclesBehind,
      });
    } catch (error) {
      if (error instanceof DependencyUnavailableError) return { ready: false, reason: error.message };
      throw error;
    }
  };
  const http = createMonitorHttpServer({
    registry: metrics.registry,
    beforeScrape: async () => {
      // A scrape during a Redis outage serves the last values (and redis_up 0).
      await freshResults().catch(() => undefined);
      if (config.risk.var.enabled) await freshValueAtRisk().catch(() => undefined);
      const behind = await runtime?.cyclesBehind().catch(() => undefined);
      if (behind !== undefined) metrics.cyclesBehind.set(behind);
    },
    getResults: freshResults,
    readiness,
    getAlertBook: async () => runtime?.getAlertBook(),
    getGraph: async () => {
      const results = await readResults();
      return results === undefined ? undefined : graphOf(results);
    },
    ...(dashboard === undefined ? {} : { dashboard }),
    simulate: async (request, requestSignal) => {
      const results = await readResults();
      if (results === undefined) throw new UserInputError("no snapshot yet: the first sync has not finished");
      if (simulator === undefined)
        return engine.simulate(await bookOf(results), request.shock, request.maxRounds);
      return simulator.simulate(
        bookKeyOf(results),
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
    ...(config.risk.var.enabled ? { getValueAtRisk: freshValueAtRisk } : {}),
  });
  // The port first: a port in use must not leave a daemon running cycles with no probes.
  const port = await listenOrExplain(http, options.port, options.host);

  try {
    runtime =
      options.redisUrl === undefined
        ? await startSingleProcessDaemon(context, {
            ...(options.checkpointFile === undefined ? {} : { checkpointFile: options.checkpointFile }),
            ...(options.source === undefined ? {} : { source: options.source }),
            onChainStopped,
          })
        : await startDistributedDaemon(context, {
            role: options.role,
            redisUrl: options.redisUrl,
            redisPrefix: options.redisPrefix,
            ...(options.source === undefined ? {} : { source: options.source }),
            ...(options.jobLockMs === undefined ? {} : { jobLockMs: options.jobLockMs }),
            onChainStopped,
          });
  } catch (error) {
    await http.close();
    simulator?.close();
    throw error;
  }
  const running = runtime;

  logger.info(
    { host: options.host, port, role: options.role, distributed: options.redisUrl !== undefined },
    "monitor listening",
  );
  options.onListening?.(port);

  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
  logger.info({ graceMs: options.graceMs }, "stopping: closing workers first");
  const exit = await running.stopWork(options.graceMs);
  await http.close();
  simulator?.close();
  await running.close();
  logger.info({ forced: exit.forced }, "stopped");
  return exit;
}
