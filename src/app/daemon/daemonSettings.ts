/** The parts of the config the daemon runs on, with the alert rules in their core form. */

import type { AlertsSection } from "../../config/schema/alerts.js";
import { DEFAULT_RISK_SECTION, type RiskSection } from "../../config/schema/risk.js";
import type { ScenariosSection } from "../../config/schema/scenarios.js";
import type { AlertPolicy } from "../../core/alerts/alertBook.js";
import type { AlertRule } from "../../core/alerts/alertRule.js";

export interface DaemonSettings {
  readonly scenarios: ScenariosSection;
  readonly rules: readonly AlertRule[];
  readonly policy: AlertPolicy;
  /** Snapshot age above which `/readyz` says not ready. */
  readonly staleAfterSeconds: number;
  /** VaR schedule, scenario drivers and leverage clustering. */
  readonly risk: RiskSection;
}

export function daemonSettings(
  scenarios: ScenariosSection,
  alerts: AlertsSection,
  staleAfterSeconds: number,
  risk: RiskSection = DEFAULT_RISK_SECTION,
): DaemonSettings {
  return {
    scenarios,
    rules: alerts.rules,
    policy: { groupBy: alerts.groupBy, repeatIntervalMs: alerts.repeatIntervalSeconds * 1000 },
    staleAfterSeconds,
    risk,
  };
}
