/**
 * Alert rules as the config states them. Each rule compares one observed value with a threshold;
 * `hysteresis` is the relative margin the value must move back past the threshold before a firing
 * alert resolves (0.05 = 5%), so a value that hovers around the threshold does not flap.
 */
export const ALERT_SEVERITIES = ["info", "warning", "critical"] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const ALERT_RULE_KINDS = [
  "scenarioLiquidations",
  "scenarioBadDebt",
  "amplification",
  "crossProtocolCascade",
  "criticalShock",
  "positionAtRisk",
  "dataStale",
] as const;
export type AlertRuleKind = (typeof ALERT_RULE_KINDS)[number];

interface RuleBase {
  /** Unique rule name; it becomes the `alertname` label. */
  readonly name: string;
  readonly severity: AlertSeverity;
  /** Relative margin for resolving (0 = resolve as soon as the condition is false). */
  readonly hysteresis: number;
}

/** Fires when a scenario's total repaid USD (all rounds) is above `thresholdUsd`. */
export interface ScenarioLiquidationsRule extends RuleBase {
  readonly kind: "scenarioLiquidations";
  /** Scenario name, or `*` for every configured scenario. */
  readonly scenario: string;
  readonly thresholdUsd: number;
}

/** Fires when a scenario's bad debt USD is above `thresholdUsd`. */
export interface ScenarioBadDebtRule extends RuleBase {
  readonly kind: "scenarioBadDebt";
  readonly scenario: string;
  readonly thresholdUsd: number;
}

/** Fires when a scenario's amplification of any shocked asset is above `ratio`. */
export interface AmplificationRule extends RuleBase {
  readonly kind: "amplification";
  readonly scenario: string;
  readonly ratio: number;
}

/** Fires when a scenario has at least `minLiquidations` cross-protocol liquidations (default 1). */
export interface CrossProtocolCascadeRule extends RuleBase {
  readonly kind: "crossProtocolCascade";
  readonly scenario: string;
  readonly minLiquidations: number;
}

/** Fires when the critical shock of `asset` is smaller in magnitude than `belowMagnitude` (0.15 = a 15% drop). */
export interface CriticalShockRule extends RuleBase {
  readonly kind: "criticalShock";
  /** Asset id, or `*` for every asset with a computed critical shock. */
  readonly asset: string;
  readonly belowMagnitude: number;
}

/** Fires per position whose debt is at least `minDebtUsd` and health factor below `maxHealthFactor`. */
export interface PositionAtRiskRule extends RuleBase {
  readonly kind: "positionAtRisk";
  readonly minDebtUsd: number;
  readonly maxHealthFactor: number;
}

/** Fires when the snapshot is older than `maxAgeSeconds`. */
export interface DataStaleRule extends RuleBase {
  readonly kind: "dataStale";
  readonly maxAgeSeconds: number;
}

export type AlertRule =
  | ScenarioLiquidationsRule
  | ScenarioBadDebtRule
  | AmplificationRule
  | CrossProtocolCascadeRule
  | CriticalShockRule
  | PositionAtRiskRule
  | DataStaleRule;
