/** One alert evaluation: the newest results through the rules and the alert book's lifecycle. */
import type { MonitorResults } from "../../adapters/store/monitorResults.js";
import {
  type AlertBookState,
  type AlertBookStep,
  EMPTY_ALERT_BOOK,
  stepAlertBook,
} from "../../core/alerts/alertBook.js";
import { evaluateRules } from "../../core/alerts/evaluateRules.js";
import type { MonitorView } from "../../core/alerts/monitorView.js";
import type { DaemonSettings } from "./daemonSettings.js";

export function monitorView(results: MonitorResults, nowMs: number): MonitorView {
  return {
    scenarios: results.scenarios,
    criticalShocks: results.criticalShocks,
    positionsAtRisk: results.positionsAtRisk,
    snapshotAgeSeconds: Math.max(0, (nowMs - results.snapshotTakenAtMs) / 1000),
  };
}

export function evaluateAlerts(
  results: MonitorResults,
  state: AlertBookState | undefined,
  settings: DaemonSettings,
  nowMs: number,
): AlertBookStep {
  const observations = evaluateRules(settings.rules, monitorView(results, nowMs));
  return stepAlertBook(state ?? EMPTY_ALERT_BOOK, observations, nowMs, settings.policy);
}
