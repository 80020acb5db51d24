/**
 * The daemon in one process: every `intervalSeconds` it syncs, computes the scenarios, stores and
 * publishes the results, evaluates the alerts and hands notifications to the sinks (each sink on
 * its own, with retries, so one sink that is down never delays the others). State lives in memory;
 * a checkpoint file lets a restart resume the cycle number, the newest results and the alert book.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { MonitorMetrics } from "../../adapters/metrics/monitorMetrics.js";
import type { AlertSink } from "../../adapters/sinks/alertSink.js";
import { deliverToAll, type RetryPolicy } from "../../adapters/sinks/deliverWithRetry.js";
import { writeCheckpoint } from "../../adapters/store/checkpointFile.js";
import type { ResultStore } from "../../adapters/store/resultStore.js";
import type { AlertNotification } from "../../core/alerts/alertBook.js";
import { computeResults } from "./computeResults.js";
import { type DaemonLogger, errorSummary } from "./daemonLogger.js";
import type { CascadeEngine, SnapshotSource } from "./daemonPorts.js";
import type { DaemonSettings } from "./daemonSettings.js";
import { evaluateAlerts } from "./evaluateAlerts.js";
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
  readonly checkpointFile?: string;
  readonly nowMs: () => number;
  readonly elapsedMs: () => number;
}

export function createSingleProcessMonitor(deps: SingleProcessDeps) {
  let version = deps.startVersion;
  const deliveries = new Set<Promise<unknown>>();
  const deliveryController = new AbortController();

  function dispatch(notifications: readonly AlertNotification[]): void {
    for (const notification of notifications) {
      const delivery = deliverToAll(
        deps.sinks,
        notification,
        deps.retryPolicy,
        deliveryController.signal,
        (outcome, sink) => {
          const labels = { sink: sink.name, kind: sink.kind };
          if (outcome.ok) deps.metrics.notificationsSent.inc(labels);
          else {
            deps.metrics.notificationsFailed.inc(labels);
            deps.logger.warn(
              {
                sink: sink.name,
                notificationId: notification.id,
                attempts: outcome.attempts,
                ...errorSummary(outcome.error),
              },
              "notification not delivered",
            );
          }
        },
      );
      deliveries.add(delivery);
      void delivery.finally(() => deliveries.delete(delivery));
    }
  }

  async function evaluate(): Promise<readonly AlertNotification[]> {
    const results = await deps.store.getResults();
    if (results === undefined) return [];
    const t0 = deps.elapsedMs();
    const step = evaluateAlerts(results, await deps.store.getAlertBook(), deps.settings, deps.nowMs());
    await deps.store.putAlertBook(step.state);
    publishAlertBook(deps.metrics, step.state);
    deps.metrics.jobDurationSeconds.observe({ queue: "evaluate" }, (deps.elapsedMs() - t0) / 1000);
    dispatch(step.notifications);
    return step.notifications;
  }

  /** One full cycle; returns the notifications it produced. */
  async function runCycle(signal: AbortSignal): Promise<readonly AlertNotification[]> {
    const cycleStart = deps.elapsedMs();
    let t0 = cycleStart;
    const synced = await deps.source.sync(signal);
    deps.metrics.jobDurationSeconds.observe({ queue: "sync" }, (deps.elapsedMs() - t0) / 1000);
    t0 = deps.elapsedMs();
    version += 1;
    const results = computeResults(deps.engine, synced, deps.settings, {
      version,
      nowMs: deps.nowMs,
      elapsedMs: deps.elapsedMs,
    });
    deps.metrics.jobDurationSeconds.observe({ queue: "simulate" }, (deps.elapsedMs() - t0) / 1000);
    await deps.store.putResults(results);
    publishResults(deps.metrics, results);
    const notifications = await evaluate();
    deps.metrics.cycleLatencySeconds.observe((deps.elapsedMs() - cycleStart) / 1000);
    if (deps.checkpointFile !== undefined) {
      const alertBook = await deps.store.getAlertBook();
      await writeCheckpoint(deps.checkpointFile, {
        version,
        results,
        ...(alertBook === undefined ? {} : { alertBook }),
      });
    }
    return notifications;
  }

  return {
    runCycle,
    /** Re-evaluates the alerts on the stored results (data-stale rules fire without a new cycle). */
    evaluate,
    /** Cycles until `signal` aborts; a failed cycle is logged and counted, the next one tries again. */
    async run(signal: AbortSignal): Promise<void> {
      const intervalMs = deps.settings.scenarios.intervalSeconds * 1000;
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
        const wait = Math.max(0, intervalMs - (deps.elapsedMs() - started));
        await sleep(wait, undefined, { signal }).catch(() => undefined);
      }
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
      return timedOut ? pending.length : 0;
    },
    get version(): number {
      return version;
    },
  };
}

export type SingleProcessMonitor = ReturnType<typeof createSingleProcessMonitor>;
