import type { AlertNotification } from "../../../src/core/alerts/alertBook.js";

export function notification(overrides: Partial<AlertNotification> = {}): AlertNotification {
  return {
    id: "0123456789abcdef",
    groupKey: "feedfacefeedface",
    groupLabels: { alertname: "ScenarioLiquidationsHigh" },
    status: "firing",
    reason: "changed",
    createdAtMs: Date.UTC(2026, 10, 21, 12),
    alerts: [
      {
        fingerprint: "aaaaaaaaaaaaaaaa",
        labels: { alertname: "ScenarioLiquidationsHigh", severity: "critical", scenario: "eth-20" },
        status: "firing",
        startsAtMs: Date.UTC(2026, 10, 21, 12),
        endsAtMs: null,
        value: 2_500_000,
        threshold: 1_000_000,
        summary: "eth-20 (WETH -20.00%): 12 liquidations repay $2,500,000 (threshold $1,000,000), 3 rounds",
      },
    ],
    ...overrides,
  };
}
