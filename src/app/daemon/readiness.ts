import type { Readiness } from "../../adapters/http/monitorHttpServer.js";
import type { MonitorResults } from "../../adapters/store/monitorResults.js";

/** How far the monitor lags: cycle starts skipped since the running cycle began, and the limit. */
export interface CycleLag {
  readonly cyclesBehind: number;
  readonly maxCyclesBehind: number;
}

/**
 * Ready when a first cycle has finished, its snapshot is younger than `staleAfterSeconds`, and the
 * running cycle has not made the monitor skip more than `maxCyclesBehind` cycle starts.
 */
export function readinessOf(
  results: MonitorResults | undefined,
  nowMs: number,
  staleAfterSeconds: number,
  lag: CycleLag = { cyclesBehind: 0, maxCyclesBehind: Number.POSITIVE_INFINITY },
): Readiness {
  if (results === undefined) return { ready: false, reason: "not synced yet" };
  const ageSeconds = (nowMs - results.snapshotTakenAtMs) / 1000;
  if (ageSeconds > staleAfterSeconds)
    return {
      ready: false,
      reason: `snapshot is ${Math.round(ageSeconds)} s old (limit ${staleAfterSeconds} s)`,
    };
  if (lag.cyclesBehind > lag.maxCyclesBehind)
    return {
      ready: false,
      reason: `${lag.cyclesBehind} cycle starts skipped while a cycle runs (limit ${lag.maxCyclesBehind})`,
    };
  return { ready: true, reason: `snapshot ${Math.round(ageSeconds)} s old, version ${results.version}` };
}
