/**
 * The daemon in one process: results in memory (and in the checkpoint file), the cycle's tasks in
 * this thread or on `scenarios.threads` worker threads, the VaR schedule on its own thread pool.
 */
import { dirname, join } from "node:path";
import { DEFAULT_RETRY_POLICY } from "../../adapters/sinks/deliverWithRetry.js";
import { readCheckpoint } from "../../adapters/store/checkpointFile.js";
import { createMemoryResultStore } from "../../adapters/store/memoryResultStore.js";
import type { Snapshot } from "../../core/snapshot/snapshot.js";
import { fileCheckpointStore } from "../sync/fileCheckpointStore.js";
import { inlineTaskRunner, threadPoolTaskRunner } from "./cycleTaskRunner.js";
import type { DaemonContext } from "./daemonContext.js";
import type { SnapshotSource } from "./daemonPorts.js";
import type { DaemonRuntime } from "./daemonRuntime.js";
import { createHeldBook } from "./heldBook.js";
import { publishResults } from "./publishResults.js";
import { createSingleProcessMonitor } from "./singleProcessMonitor.js";
import { syncLog } from "./syncLog.js";
import { createValueAtRiskSchedule } from "./valueAtRiskSchedule.js";

export interface SingleProcessOptions {
  readonly checkpointFile?: string;
  /** Replaces the indexers (tests, the embedded devnet wiring). */
  readonly source?: SnapshotSource;
  readonly onChainStopped: (chainId: number, reason: string) => void;
}

export async function startSingleProcessDaemon(
  context: DaemonContext,
  options: SingleProcessOptions,
): Promise<DaemonRuntime> {
  const { config, metrics, logger, clock, signal } = context;
  const checkpoint =
    options.checkpointFile === undefined ? undefined : await readCheckpoint(options.checkpointFile);
  const memory = createMemoryResultStore({
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
      log: syncLog(logger),
      signal,
      nowMs: clock.nowMs,
      metrics,
      onChainStopped: options.onChainStopped,
    }));
  let lastSnapshot: { version: number; snapshot: Snapshot } | undefined;
  const threads = config.scenarios.threads;
  const taskRunner =
    threads > 1 && context.coreEngine
      ? threadPoolTaskRunner(threads)
      : inlineTaskRunner(context.engine, clock.elapsedMs);
  const monitor = createSingleProcessMonitor({
    engine: context.engine,
    source: resolvedSource,
    // The core engine's book is kept from block to block; another engine compiles its own.
    ...(context.coreEngine ? { heldBook: createHeldBook() } : {}),
    onSnapshot: (version, snapshot) => {
      lastSnapshot = { version, snapshot };
    },
    store: memory,
    metrics,
    sinks: context.sinks,
    settings: context.settings,
    logger,
    retryPolicy: DEFAULT_RETRY_POLICY,
    startVersion: checkpoint?.version ?? 0,
    ...(checkpoint?.pending === undefined ? {} : { pending: checkpoint.pending }),
    ...(options.checkpointFile === undefined ? {} : { checkpointFile: options.checkpointFile }),
    nowMs: clock.nowMs,
    elapsedMs: clock.elapsedMs,
    taskRunner,
  });
  const loop = monitor.run(signal);
  const schedule = config.risk.var.enabled
    ? createValueAtRiskSchedule({
        section: config.risk.var,
        maxRounds: config.scenarios.maxRounds,
        latestSnapshot: () => lastSnapshot,
        metrics,
        logger,
        nowMs: clock.nowMs,
        elapsedMs: clock.elapsedMs,
      })
    : undefined;
  const riskLoop = schedule?.run(signal) ?? Promise.resolve();

  return {
    readResults: () => memory.getResults(),
    getAlertBook: () => memory.getAlertBook(),
    loadSnapshot: async (version) => (lastSnapshot?.version === version ? lastSnapshot.snapshot : undefined),
    cyclesBehind: async () => monitor.cyclesBehind(),
    valueAtRisk: async () => schedule?.latest(),
    async stopWork(graceMs) {
      await schedule?.close();
      await riskLoop;
      // A cycle stuck in a read that ignores the abort must not hold the stop past the grace time.
      const started = clock.elapsedMs();
      let timer: NodeJS.Timeout | undefined;
      const cycleEnded = await Promise.race([
        loop.then(() => true),
        new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), graceMs);
          timer.unref();
        }),
      ]);
      clearTimeout(timer);
      const undelivered = await monitor.drain(Math.max(0, graceMs - (clock.elapsedMs() - started)));
      await taskRunner.close();
      return { forced: !cycleEnded || undelivered > 0 };
    },
    close: () => resolvedSource.close(),
  };
}
