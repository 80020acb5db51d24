/**
 * The daemon's VaR schedule (`risk.var`): every `intervalSeconds`, a Monte Carlo VaR of the
 * newest synced book, its paths on a pool of worker threads so the monitoring cycle and the
 * HTTP port keep their event loop. The newest run (without its paths) is kept for the API and
 * copied into the `cascade_monitor_var_*` metrics.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { MonitorMetrics } from "../../adapters/metrics/monitorMetrics.js";
import type { ValueAtRiskSummary } from "../../adapters/store/monitorResults.js";
import type { VarSection } from "../../config/schema/risk.js";
import { buildReturnModel } from "../../core/risk/buildReturnModel.js";
import type { Snapshot } from "../../core/snapshot/snapshot.js";
import { createPathPool, type PathPool } from "../risk/pathPool.js";
import { returnModelSpecOf } from "../risk/returnModelSpecOf.js";
import { runValueAtRisk } from "../risk/runValueAtRisk.js";
import { type DaemonLogger, errorSummary } from "./daemonLogger.js";

export interface ValueAtRiskScheduleDeps {
  readonly section: VarSection;
  readonly maxRounds: number;
  /** The newest synced snapshot and its results version, once there is one. */
  readonly latestSnapshot: () => { readonly version: number; readonly snapshot: Snapshot } | undefined;
  readonly metrics: MonitorMetrics;
  readonly logger: DaemonLogger;
  readonly nowMs: () => number;
  readonly elapsedMs: () => number;
  /** Paths in this thread instead of a pool (tests of the schedule alone). */
  readonly pool?: PathPool;
}

export function createValueAtRiskSchedule(deps: ValueAtRiskScheduleDeps) {
  let latest: ValueAtRiskSummary | undefined;
  let pool = deps.pool;

  /** One run on the newest snapshot; undefined while there is none. */
  async function runOnce(): Promise<ValueAtRiskSummary | undefined> {
    const current = deps.latestSnapshot();
    if (current === undefined) return undefined;
    pool ??= createPathPool(deps.section.threads);
    const t0 = deps.elapsedMs();
    const { section } = deps;
    const report = await runValueAtRisk(
      { kind: "snapshot", snapshot: current.snapshot, overrides: [], key: `version:${current.version}` },
      {
        model: buildReturnModel(current.snapshot, returnModelSpecOf(section)),
        horizonHours: section.horizon,
        pathCount: section.paths,
        seed: section.seed,
        maxRounds: deps.maxRounds,
      },
      pool,
    );
    const { paths: _paths, ...summary } = report;
    latest = {
      ...summary,
      version: current.version,
      computedAtMs: deps.nowMs(),
      durationSeconds: (deps.elapsedMs() - t0) / 1000,
    };
    deps.metrics.recordValueAtRisk(latest);
    deps.logger.info(
      { version: current.version, paths: section.paths, durationSeconds: latest.durationSeconds },
      "value-at-risk computed",
    );
    return latest;
  }

  return {
    runOnce,
    /** Runs every `intervalSeconds` until `signal` aborts (nothing when `risk.var.enabled` is false). */
    async run(signal: AbortSignal): Promise<void> {
      if (!deps.section.enabled) return;
      while (!signal.aborted) {
        const started = deps.elapsedMs();
        let ran = true;
        try {
          ran = (await runOnce()) !== undefined;
        } catch (error) {
          deps.metrics.jobFailures.inc({ queue: "simulate" });
          deps.logger.error(errorSummary(error), "value-at-risk run failed; retrying at the next interval");
        }
        // Before the first snapshot, look again soon instead of a whole interval later.
        const intervalMs = ran ? deps.section.intervalSeconds * 1000 : 1000;
        const wait = Math.max(0, intervalMs - (deps.elapsedMs() - started));
        await sleep(wait, undefined, { signal }).catch(() => undefined);
      }
    },
    latest: (): ValueAtRiskSummary | undefined => latest,
    async close(): Promise<void> {
      if (deps.pool === undefined) await pool?.close();
    },
  };
}

export type ValueAtRiskSchedule = ReturnType<typeof createValueAtRiskSchedule>;
