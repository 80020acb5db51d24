import { describe, expect, it } from "vitest";
import type { AlertRule } from "../../../src/core/alerts/alertRule.js";
import { evaluateRules } from "../../../src/core/alerts/evaluateRules.js";
import { breaches, clearsWithHysteresis } from "../../../src/core/alerts/observation.js";
import { liquidationsRule, scenario, view } from "./fixtures.js";

const base = { severity: "critical", hysteresis: 0 } as const;

describe("evaluateRules", () => {
  it("observes every scenario for a `*` rule, with its repaid USD against the threshold", () => {
    const v = view({
      scenarios: [scenario({ name: "a", repaidUsd: 2e6 }), scenario({ name: "b", repaidUsd: 10 })],
    });
    const [a, b] = evaluateRules([liquidationsRule], v);
    expect(a?.labels).toEqual({
      alertname: "ScenarioLiquidationsHigh",
      severity: "warning",
      kind: "scenarioLiquidations",
      scenario: "a",
    });
    expect(a && breaches(a)).toBe(true);
    expect(b && breaches(b)).toBe(false);
    expect(a?.summary).toContain("$2,000,000");
  });

  it("turns each rule kind into the value the rule compares", () => {
    const rules: AlertRule[] = [
      { ...base, kind: "scenarioBadDebt", name: "BadDebt", scenario: "eth-20", thresholdUsd: 100 },
      { ...base, kind: "amplification", name: "Amp", scenario: "eth-20", ratio: 1.5 },
      { ...base, kind: "crossProtocolCascade", name: "Cross", scenario: "eth-20", minLiquidations: 1 },
      { ...base, kind: "criticalShock", name: "Crit", asset: "*", belowMagnitude: 0.15 },
      { ...base, kind: "positionAtRisk", name: "Whale", minDebtUsd: 1e6, maxHealthFactor: 1.05 },
      { ...base, kind: "dataStale", name: "Stale", maxAgeSeconds: 60 },
    ];
    const v = view({
      scenarios: [
        scenario({ badDebtUsd: 250, amplification: { WETH: 1.2, WBTC: 1.7 }, crossProtocolLiquidations: 3 }),
      ],
      criticalShocks: [
        { asset: "WETH", cascadeShock: -0.12, badDebtShock: -0.4 },
        { asset: "WBTC", cascadeShock: null, badDebtShock: null },
      ],
      positionsAtRisk: [
        {
          market: "m",
          protocol: "aave-v3",
          account: "0x1",
          healthFactor: 1.01,
          collateralUsd: 3e6,
          debtUsd: 2e6,
        },
        {
          market: "m",
          protocol: "aave-v3",
          account: "0x2",
          healthFactor: 1.0,
          collateralUsd: 10,
          debtUsd: 5,
        },
      ],
      snapshotAgeSeconds: 61,
    });
    const out = evaluateRules(rules, v);
    const values = out.map((o) => [
      o.labels.alertname,
      o.labels.asset ?? o.labels.account ?? "",
      o.value,
      breaches(o),
    ]);
    expect(values).toEqual([
      ["BadDebt", "", 250, true],
      ["Amp", "", 1.7, true],
      ["Cross", "", 3, true],
      ["Crit", "WETH", 0.12, true],
      ["Crit", "WBTC", 1, false],
      ["Whale", "0x1", 1.01, true],
      ["Stale", "", 61, true],
    ]);
  });
});

describe("hysteresis", () => {
  it("resolves an `above` alert only below threshold × (1 − h), a `below` one only above threshold × (1 + h)", () => {
    const above = { threshold: 100, direction: "above", hysteresis: 0.1 } as const;
    expect(clearsWithHysteresis({ ...above, value: 95 })).toBe(false);
    expect(clearsWithHysteresis({ ...above, value: 90 })).toBe(true);
    const below = { threshold: 0.2, direction: "below", hysteresis: 0.25 } as const;
    expect(clearsWithHysteresis({ ...below, value: 0.24 })).toBe(false);
    expect(clearsWithHysteresis({ ...below, value: 0.25 })).toBe(true);
  });
});
