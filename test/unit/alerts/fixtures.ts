import type { AlertRule } from "../../../src/core/alerts/alertRule.js";
import type { MonitorView, ScenarioOutcome } from "../../../src/core/alerts/monitorView.js";

/** A scenario outcome with overridable fields. */
export function scenario(overrides: Partial<ScenarioOutcome> = {}): ScenarioOutcome {
  return {
    name: "eth-20",
    shock: { WETH: -0.2 },
    liquidations: 10,
    repaidUsd: 500_000,
    badDebtUsd: 0,
    rounds: 2,
    crossProtocolLiquidations: 0,
    amplification: { WETH: 1.1 },
    durationSeconds: 0.01,
    ...overrides,
  };
}

export function view(overrides: Partial<MonitorView> = {}): MonitorView {
  return {
    scenarios: [scenario()],
    criticalShocks: [],
    positionsAtRisk: [],
    snapshotAgeSeconds: 5,
    ...overrides,
  };
}

export const liquidationsRule: AlertRule = {
  kind: "scenarioLiquidations",
  name: "ScenarioLiquidationsHigh",
  severity: "warning",
  hysteresis: 0.1,
  scenario: "*",
  thresholdUsd: 1_000_000,
};
