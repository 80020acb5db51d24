/**
 * What `start` monitors on the embedded devnet when no config is given: ETH -10/-20/-30%, BTC -15%,
 * an LST depeg, curves and critical shocks for WETH and WBTC, and a rule of each kind, to the log.
 * Fast intervals: the devnet is local.
 */
export const DEVNET_DAEMON_SECTIONS = {
  scenarios: {
    intervalSeconds: 2,
    list: [
      { name: "eth-10", shock: { WETH: -0.1 } },
      { name: "eth-20", shock: { WETH: -0.2 } },
      { name: "eth-30", shock: { WETH: -0.3 } },
      { name: "btc-15", shock: { WBTC: -0.15 } },
      { name: "lst-depeg-5", shock: { wstETH: -0.05 } },
    ],
    curves: { assets: ["WETH", "WBTC"], shocks: [-0.05, -0.1, -0.15, -0.2, -0.25, -0.3, -0.4, -0.5] },
    criticalShockAssets: ["WETH", "WBTC"],
    atRiskHealthFactor: 1.1,
  },
  alerts: {
    groupBy: ["alertname"],
    repeatIntervalSeconds: 3600,
    rules: [
      {
        kind: "scenarioLiquidations",
        name: "ScenarioLiquidationsHigh",
        scenario: "eth-20",
        thresholdUsd: 1_000_000,
      },
      {
        kind: "scenarioBadDebt",
        name: "ScenarioBadDebt",
        scenario: "*",
        thresholdUsd: 10_000,
        severity: "critical",
      },
      { kind: "amplification", name: "CascadeAmplification", scenario: "*", ratio: 1.5 },
      { kind: "crossProtocolCascade", name: "CrossProtocolCascade", scenario: "eth-20" },
      {
        kind: "criticalShock",
        name: "CriticalShockLow",
        asset: "*",
        belowMagnitude: 0.1,
        severity: "critical",
      },
      { kind: "positionAtRisk", name: "WhaleNearLiquidation", minDebtUsd: 250_000, maxHealthFactor: 1.02 },
      { kind: "dataStale", name: "SnapshotStale", maxAgeSeconds: 60, severity: "critical" },
    ],
  },
  sinks: [{ kind: "log", name: "log" }],
} as const;
