import type { Readiness } from "../../adapters/http/monitorHttpServer.js";
import type { MonitorResults } from "../../adapters/store/monitorResults.js";

/** Ready when a first cycle has finished and its snapshot is younger than `staleAfterSeconds`. */
export function readinessOf(
  results: MonitorResults | undefined,
  nowMs: number,
  staleAfterSeconds: number,
): Readiness {
  if (results === undefined) return { ready: false, reason: "not synced yet" };
  const ageSeconds = (nowMs - results.snapshotTakenAtMs) / 1000;
  if (ageSeconds > staleAfterSeconds)
    return {
      ready: false,
      reason: `snapshot is ${Math.round(ageSeconds)} s old (limit ${staleAfterSeconds} s)`,
    };
  return { ready: true, reason: `snapshot ${Math.round(ageSeconds)} s old, version ${results.version}` };
}
