/**
 * What `runDaemon` needs from the mode it runs in (single process or distributed), whichever it
 * is: the results and alert book for the HTTP port, the snapshot of a results version, how far
 * behind the cycles are, the newest VaR run, and a stop in two steps (work first, then
 * connections).
 */

import type { MonitorResults, ValueAtRiskSummary } from "../../adapters/store/monitorResults.js";
import type { AlertBookState } from "../../core/alerts/alertBook.js";
import type { Snapshot } from "../../core/snapshot/snapshot.js";

export interface DaemonExit {
  /** True when in-flight work had to be abandoned at the grace timeout. */
  readonly forced: boolean;
}

export interface DaemonRuntime {
  /** The newest results; throws `DependencyUnavailableError` when the store does not answer in time. */
  readResults(): Promise<MonitorResults | undefined>;
  getAlertBook(): Promise<AlertBookState | undefined>;
  /** The snapshot results `version` came from, when this process can still get it. */
  loadSnapshot(version: number): Promise<Snapshot | undefined>;
  /** Cycle starts skipped since the running cycle began. */
  cyclesBehind(): Promise<number>;
  /** The newest VaR run (undefined before the first). */
  valueAtRisk(): Promise<ValueAtRiskSummary | undefined>;
  /** Stops the work: workers (or the loop) first, within `graceMs`, then pending deliveries. */
  stopWork(graceMs: number): Promise<DaemonExit>;
  /** Closes the sources and connections, once the work and the HTTP port have stopped. */
  close(): Promise<void>;
}
