/** Copies the newest results and firing alerts into the metrics registry. */
import type { MonitorMetrics } from "../../adapters/metrics/monitorMetrics.js";
import type { MonitorResults } from "../../adapters/store/monitorResults.js";
import type { AlertBookState } from "../../core/alerts/alertBook.js";

export function publishResults(metrics: MonitorMetrics, results: MonitorResults): void {
  metrics.recordBook(results.book.markets, results.book.exposures);
  metrics.recordCurves(results.curves);
  metrics.recordCriticalShocks(results.criticalShocks);
  metrics.recordScenarios(results.scenarios);
  metrics.recordRisk(results.risk);
  metrics.lastIndexedBlock.reset();
  metrics.indexerLagBlocks.reset();
  for (const [chainId, block] of Object.entries(results.blocks)) {
    metrics.lastIndexedBlock.set({ chain_id: chainId }, block);
    const head = results.heads[chainId];
    if (head !== undefined) metrics.indexerLagBlocks.set({ chain_id: chainId }, Math.max(0, head - block));
  }
  metrics.snapshotTimestampSeconds.set(results.snapshotTakenAtMs / 1000);
}

export function publishAlertBook(metrics: MonitorMetrics, state: AlertBookState): void {
  metrics.recordFiringAlerts(state.alerts.filter((a) => a.status === "firing").map((a) => a.labels));
}
