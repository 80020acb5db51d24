import type { AlertBookState } from "../../core/alerts/alertBook.js";
import type { MonitorResults } from "./monitorResults.js";

/**
 * Where the newest results and the alert book live: memory in a single process, Redis when the
 * pipeline is distributed. Both keep only the newest results (`putResults` ignores older versions).
 */
export interface ResultStore {
  getResults(): Promise<MonitorResults | undefined>;
  /** Stores `results` unless the store already holds a newer version; returns whether it was stored. */
  putResults(results: MonitorResults): Promise<boolean>;
  getAlertBook(): Promise<AlertBookState | undefined>;
  putAlertBook(state: AlertBookState): Promise<void>;
  close(): Promise<void>;
}
