/**
 * The daemon in one process: every `intervalSeconds` it syncs, computes the scenarios (in this
 * thread or on a pool of worker threads), stores and publishes the results, evaluates the alerts and hands notifications to the sinks (each sink on
 * its own, with retries, so one sink that is down never delays the others). State lives in memory;
 * a checkpoint file lets a restart resume the cycle number, the newest results, the alert book and
 * the deliveries still pending: the book and the new notifications are written in one checkpoint
 * before any is sent, and a delivery leaves it only once delivered or given up, so a kill -9
 * mid-delivery sends it again after the restart (same notification id, so the same `webhook-id`).
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { MonitorMetrics } from "../../adapters/metrics/monitorMetrics.js";
import type { AlertSink } from "../../adapters/sinks/alertSink.js";
import { deliverWithRetry, type RetryPolicy } from "../../adapters/sinks/deliverWithRetry.js";
import { type PendingDelivery, pendingKey } from "../../adapters/sinks/pendingDelivery.js";
import { SinkGoneError } from "../../adapters/sinks/sinkDeliveryError.js";
import { checkpointWriter } from "../../adapters/store/checkpointFile.js";
import type { ResultStore } from "../../adapters/store/resultStore.js";
import type { AlertNotification } from "../../core/alerts/alertBook.js";
import type { Snapshot } from "../../core/snapshot/snapshot.js";
import { type CycleTaskRunner, type HeldCycleBook, inlineTaskRunner } from "./cycleTaskRunner.js";
import { assembleResults, planCycle } from "./cycleTasks.js";
import { type DaemonLogger, errorSummary } from "./daemonLogger.js";
import type { CascadeEngine, SnapshotSource, SyncFacts } from "./daemonPorts.js";
import type { DaemonSettings } from "./daemonSettings.js";
import { evaluateAlerts } from "./evaluateAlerts.js";
import type { HeldBook } from "./heldBook.js";
import { publishAlertBook, publishResults } from "./publishResults.js";

export interface SingleProcessDeps {
  readonly engine: CascadeEngine;
  readonly source: SnapshotSource;
  readonly store: ResultStore;
  readonly metrics: MonitorMetrics;
  readonly sinks: readonly AlertSink[];
  readonly settings: DaemonSettings;
  readonly logger: DaemonLogger;
  readonly retryPolicy: RetryPolicy;
  /** Cycle number to continue from (from the checkpoint), 0 on a cold start. */
  readonly startVersion: number;
  /** Deliveries a previous run left pending (from the checkpoint); sent first. */
  readonly pending?: readonly PendingDelivery[];
  readonly checkpointFile?: string;
  readonly nowMs: () => number;
  readonly elapsedMs: () => number;
  /** Where the cycle's tasks run (default: in this thread on `engine`). */
  readonly taskRunner?: CycleTaskRunner;
  /**
   * The compiled book kept from block to block, when `engine` is the core engine and `source`
   * offers `syncBook`: each cycle applies the block's changes instead of compiling the whole book.
   */
  readonly heldBook?: HeldBook;
  /** Told of each cycle's snapshot (positions in book order when the book is held). */
  readonly onSnapshot?: (version: number, snapshot: Snapshot) => void;
}

export function createSingleProcessMonitor(deps: SingleProcessDeps) {
  let version = deps.startVersion;
  const taskRunner = deps.taskRunner ?? inlineTaskRunner(deps.engine, deps.elapsedMs);
  const intervalMs = deps.settings.scenarios.intervalSeconds * 1000;
  /** When the running cycle began (high-resolution clock); undefined between cycles. */
  let cycleStartedAt: number | undefined;
  const deliveries = new Set<Promise<unknown>>();
  const deliveryController = new AbortController();
  const sinks = new Map(deps.sinks.map((sink) => [sink.name, sink]));
  /** Not yet delivered nor given up, in dispatch order: what the checkpoint keeps. */
  const outbox = new Map<string, PendingDelivery>();
  for (const pending of deps.pending ?? [])
    if (sinks.has(pending.sink)) outbox.set(pendingKey(pending), pending);
  /** Sinks whose endpoint answered 410 Gone: nothing more is sent to them until a restart. */
  const gone = new Set<string>();
  const checkpoint = deps.checkpointFile === undefined ? undefined : checkpointWriter(deps.checkpointFile);

  async function saveCheckpoint(): Promise<void> {
    if (checkpoint === undefined) return;
    const results = await deps.store.getResults();
    const alertBook = await deps.store.getAlertBook();
    await checkpoint.write({
      version,
      ...(results === undefined ? {} : { results }),
      ...(alertBook === undefined ? {} : { alertBook }),
      pending: [...outbox.values()],
    });
  }

  async function saveQuietly(): Promise<void> {
    await saveCheckpoint().catch((error: unknown) =>
      deps.logger.error(errorSummary(error), "checkpoint not written; pending deliveries kept in memory"),
    );
  }

  async function settle(
    pending: PendingDelivery,
    labels: { sink: string; kind: string },
    outcome: DeliveryResult,
  ): Promise<void> {
    if (outcome.interrupted) return; // still pending: the checkpoint keeps it for the next run
    outbox.delete(pendingKey(pending));
    // Counted once on disk: a delivery the counter shows is one a restart will not send again.
    await saveQuietly();
    if (outcome.ok) deps.metrics.notificationsSent.inc(labels);
    else {
      deps.metrics.notificationsFailed.inc(labels);
      if (outcome.error instanceof SinkGoneError && !gone.has(pending.sink)) {
        gone.add(pending.sink);
        deps.metrics.sinkDisabled.set({ sink: pending.sink }, 1);
        deps.logger.error(
          { sink: pending.sink, ...errorSummary(outcome.error) },
          "sink disabled until a restart: its endpoint answered 410 Gone",
        );
      } else
        deps.logger.warn(
          {
            sink: pending.sink,
            notificationId: pending.notification.id,
            attempts: outcome.attempts,
            ...errorSummary(outcome.error),
          },
          "notification not delivered",
        );
    }
  }

  function send(pending: PendingDelivery): void {
    const sink = sinks.get(pending.sink);
    if (sink === undefined) return;
    const labels = { sink: sink.name, kind: sink.kind };
    const delivery = gone.has(sink.name)
      ? Promise.resolve<DeliveryResult>({ ok: false, attempts: 0, interrupted: false })
      : deliverWithRetry(sink, pending.notification, deps.retryPolicy, deliveryController.signal);
    const settled = delivery.then((outcome) => settle(pending, labels, outcome));
    deliveries.add(settled);
    void settled.finally(() => deliveries.delete(settled));
  }

  /** Records the notifications as pending for every sink, checkpoints that with the alert book, then sends. */
  async function dispatch(notifications: readonly AlertNotification[]): Promise<void> {
    const added: PendingDelivery[] = [];
    for (const notification of notifications)
      for (const sink of sinks.keys()) {
        const pending = { sink, notification };
        outbox.set(pendingKey(pending), pending);
        added.push(pending);
      }
    await saveCheckpoint().catch((error: unknown) =>
      deps.logger.error(errorSummary(error), "checkpoint not written; sending anyway"),
    );
    for (const pending of added) send(pending);
  }

  async function evaluate(): Promise<readonly AlertNotification[]> {
    const results = await deps.store.getResults();
    if (results === undefined) return [];
    const t0 = deps.elapsedMs();
    const step = evaluateAlerts(results, await deps.store.getAlertBook(), deps.settings, deps.nowMs());
    await deps.store.putAlertBook(step.state);
    publishAlertBook(deps.metrics, step.state);
    deps.metrics.jobDurationSeconds.observe({ queue: "evaluate" }, (deps.elapsedMs() - t0) / 1000);
    await dispatch(step.notifications);
    return step.notifications;
  }

  /** The synced snapshot, with its book when it is held (brought up to date, not compiled again). */
  async function syncBook(
    signal: AbortSignal,
  ): Promise<{ facts: SyncFacts; snapshot: Snapshot; held?: HeldCycleBook }> {
    const holder = deps.heldBook;
    if (holder === undefined || deps.source.syncBook === undefined) {
      const { snapshot, ...facts } = await deps.source.sync(signal);
      return { facts, snapshot };
    }
    const synced = await deps.source.syncBook(signal, holder.wantsWhole);
    const { snapshot, book, mode, changes } = holder.accept(synced);
    if (mode !== "incremental")
      deps.logger.info({ mode, positions: book.positions.count }, "book compiled whole");
    const facts = { takenAtMs: synced.takenAtMs, blocks: snapshot.source.blocks, heads: synced.heads };
    return { facts, snapshot, held: { book, changes } };
  }

  /** One full cycle; returns the notifications it produced. */
  async function runCycle(signal: AbortSignal): Promise<readonly AlertNotification[]> {
    const cycleStart = deps.elapsedMs();
    cycleStartedAt = cycleStart;
    try {
      return await cycle(signal, cycleStart);
    } finally {
      cycleStartedAt = undefined;
    }
  }

  async function cycle(signal: AbortSignal, cycleStart: number): Promise<readonly AlertNotification[]> {
    let t0 = cycleStart;
    const { facts, snapshot, held } = await syncBook(signal);
    deps.metrics.jobDurationSeconds.observe({ queue: "sync" }, (deps.elapsedMs() - t0) / 1000);
    t0 = deps.elapsedMs();
    version += 1;
    deps.onSnapshot?.(version, snapshot);
    const tasks = planCycle(snapshot, deps.settings);
    const outputs = await taskRunner.run(version, snapshot, tasks, held);
    const results = assembleResults(facts, tasks, outputs, version, deps.nowMs());
    deps.metrics.jobDurationSeconds.observe({ queue: "simulate" }, (deps.elapsedMs() - t0) / 1000);
    await deps.store.putResults(results);
    publishResults(deps.metrics, results);
    const notifications = await evaluate();
    deps.metrics.cycleLatencySeconds.observe((deps.elapsedMs() - cycleStart) / 1000);
    await saveCheckpoint();
    return notifications;
  }

  return {
    runCycle,
    /** Re-evaluates the alerts on the stored results (data-stale rules fire without a new cycle). */
    evaluate,
    /** Cycles until `signal` aborts; a failed cycle is logged and counted, the next one tries again. */
    async run(signal: AbortSignal): Promise<void> {
      // What the previous run left pending goes out first, with its original ids.
      for (const pending of [...outbox.values()]) send(pending);
      while (!signal.aborted) {
        const started = deps.elapsedMs();
        try {
          await runCycle(signal);
        } catch (error) {
          if (signal.aborted) break;
          deps.metrics.jobFailures.inc({ queue: "sync" });
          deps.logger.error(errorSummary(error), "monitoring cycle failed; retrying at the next interval");
          await evaluate().catch(() => undefined);
        }
        const tookMs = deps.elapsedMs() - started;
        // Back-pressure: the starts this cycle overran are skipped, not queued; the next cycle
        // begins at once and reads the newest block.
        const skipped = Math.floor(tookMs / intervalMs);
        if (skipped > 0 && !signal.aborted) {
          deps.metrics.cyclesSkipped.inc(skipped);
          deps.logger.warn(
            { version, cyclesSkipped: skipped, durationSeconds: tookMs / 1000 },
            "cycle outlived the interval: skipped to the newest block",
          );
        }
        const wait = skipped > 0 ? 0 : Math.max(0, intervalMs - tookMs);
        await sleep(wait, undefined, { signal }).catch(() => undefined);
      }
    },
    /** Cycle starts the running cycle has overrun so far (0 between cycles and when it keeps up). */
    cyclesBehind(): number {
      return cycleStartedAt === undefined ? 0 : Math.floor((deps.elapsedMs() - cycleStartedAt) / intervalMs);
    },
    /** Waits for in-flight deliveries up to `graceMs`, then aborts them; resolves to the number left undelivered. */
    async drain(graceMs: number): Promise<number> {
      const pending = [...deliveries];
      const timedOut = await Promise.race([
        Promise.allSettled(pending).then(() => false),
        // Unreferenced: once the deliveries are done, this timer must not keep the process alive.
        sleep(graceMs, undefined, { ref: false }).then(() => true),
      ]);
      if (timedOut) deliveryController.abort();
      await Promise.allSettled(pending);
      // Interrupted deliveries stay in the checkpoint; the next run sends them.
      await saveCheckpoint().catch(() => undefined);
      return timedOut ? pending.length : 0;
    },
    get version(): number {
      return version;
    },
    /** Deliveries not yet delivered nor given up. */
    get pending(): readonly PendingDelivery[] {
      return [...outbox.values()];
    },
  };
}

interface DeliveryResult {
  readonly ok: boolean;
  readonly attempts: number;
  readonly error?: unknown;
  readonly interrupted: boolean;
}

export type SingleProcessMonitor = ReturnType<typeof createSingleProcessMonitor>;
