import { describe, expect, it } from "vitest";
import { rpcMethodLabel, shockLabel } from "../../../src/adapters/metrics/metricLabels.js";
import { createMonitorMetrics } from "../../../src/adapters/metrics/monitorMetrics.js";

/** The value of one sample line `name{labels} value` from the exposition text. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("monitor metrics", () => {
  it("follows the naming rules: prefix, _total counters, no account labels", async () => {
    const m = createMonitorMetrics({ processMetrics: true });
    const metrics = await m.registry.getMetricsAsJSON();
    expect(metrics.length).toBeGreaterThan(20);
    for (const metric of metrics) {
      expect(metric.name.startsWith("cascade_monitor_")).toBe(true);
      if (String(metric.type) === "counter") expect(metric.name.endsWith("_total")).toBe(true);
    }
    const own = m.registry.getMetricsAsArray().map((x) => x as unknown as { labelNames?: string[] });
    for (const metric of own) {
      for (const label of metric.labelNames ?? []) expect(label).not.toMatch(/account|address|user/);
    }
  });

  it("exposes the book, curves, critical shocks and scenarios, replacing vanished series", async () => {
    const m = createMonitorMetrics({ processMetrics: false });
    m.recordBook(
      [{ protocol: "aave-v3", market: "aave-v3:1:0xabc", positions: 12 }],
      [{ protocol: "aave-v3", market: "aave-v3:1:0xabc", asset: "WETH", collateralUsd: 3.5e6, debtUsd: 0 }],
    );
    m.recordCurves([
      { asset: "WETH", shock: -0.1, directRepaidUsd: 1000, totalRepaidUsd: 1500, badDebtUsd: 7 },
    ]);
    m.recordCriticalShocks([{ asset: "WETH", cascadeShock: -0.1234, badDebtShock: null }]);
    m.recordScenarios([
      {
        name: "eth-20",
        shock: { WETH: -0.2 },
        liquidations: 4,
        repaidUsd: 2e5,
        badDebtUsd: 10,
        rounds: 3,
        crossProtocolLiquidations: 1,
        amplification: { WETH: 1.25 },
        durationSeconds: 0.02,
      },
    ]);
    let text = await m.registry.metrics();
    expect(sample(text, 'cascade_monitor_book_positions{protocol="aave-v3",market="aave-v3:1:0xabc"}')).toBe(
      12,
    );
    expect(
      sample(
        text,
        'cascade_monitor_book_collateral_usd{protocol="aave-v3",market="aave-v3:1:0xabc",asset="WETH"}',
      ),
    ).toBe(3.5e6);
    expect(
      sample(text, 'cascade_monitor_liquidatable_debt_usd{asset="WETH",shock="-0.10",mode="direct"}'),
    ).toBe(1000);
    expect(
      sample(text, 'cascade_monitor_liquidatable_debt_usd{asset="WETH",shock="-0.10",mode="cascade"}'),
    ).toBe(1500);
    expect(sample(text, 'cascade_monitor_critical_shock_ratio{asset="WETH",kind="cascade"}')).toBe(-0.1234);
    expect(sample(text, 'cascade_monitor_critical_shock_ratio{asset="WETH",kind="bad_debt"}')).toBe(-1);
    expect(sample(text, 'cascade_monitor_scenario_amplification_ratio{scenario="eth-20",asset="WETH"}')).toBe(
      1.25,
    );
    expect(sample(text, 'cascade_monitor_scenario_duration_seconds_count{scenario="eth-20"}')).toBe(1);

    m.recordBook([], []);
    text = await m.registry.metrics();
    expect(text).not.toContain('market="aave-v3:1:0xabc"');
  });

  it("keeps labels bounded: unknown RPC methods fold into `other`, shocks have a stable form", () => {
    expect(rpcMethodLabel("eth_call")).toBe("eth_call");
    expect(rpcMethodLabel("debug_traceTransaction")).toBe("other");
    expect([-0.1, -0.125, -0.3, 0, -0.05].map(shockLabel)).toEqual([
      "-0.10",
      "-0.125",
      "-0.30",
      "0.00",
      "-0.05",
    ]);
  });

  it("gives two monitors separate registries (no global state)", async () => {
    const a = createMonitorMetrics({ processMetrics: false });
    const b = createMonitorMetrics({ processMetrics: false });
    a.jobFailures.inc({ queue: "sync" });
    expect(await b.registry.metrics()).not.toContain('cascade_monitor_job_failures_total{queue="sync"} 1');
    expect(await a.registry.metrics()).toContain('cascade_monitor_job_failures_total{queue="sync"} 1');
  });
  it("counts reorgs and their depth, and shows stale markets, touched positions and what the snapshot left out", async () => {
    const m = createMonitorMetrics({ processMetrics: false });
    m.recordSyncStep(1, { reorgDepth: 0, staleMarkets: 0, touched: 100 });
    m.recordSyncStep(1, { reorgDepth: 3, staleMarkets: 2, touched: 7 });
    m.recordOmissions({
      unpriced: [{ market: "aave-v3:1:0xabc", asset: "token:0x01" }],
      excludedPositions: 4,
      excludedDebtUsd: 12_000,
    });
    let text = await m.registry.metrics();
    expect(sample(text, 'cascade_monitor_reorgs_total{chain_id="1"}')).toBe(1);
    expect(sample(text, 'cascade_monitor_reorg_depth_blocks_sum{chain_id="1"}')).toBe(3);
    expect(sample(text, 'cascade_monitor_stale_markets{chain_id="1"}')).toBe(2);
    expect(sample(text, 'cascade_monitor_touched_positions{chain_id="1"}')).toBe(7);
    expect(sample(text, 'cascade_monitor_unpriced_assets{market="aave-v3:1:0xabc",asset="token:0x01"}')).toBe(
      1,
    );
    expect(sample(text, "cascade_monitor_excluded_positions")).toBe(4);
    expect(sample(text, "cascade_monitor_excluded_debt_usd")).toBe(12_000);
    m.recordOmissions({ unpriced: [], excludedPositions: 0, excludedDebtUsd: 0 });
    text = await m.registry.metrics();
    expect(
      sample(text, 'cascade_monitor_unpriced_assets{market="aave-v3:1:0xabc",asset="token:0x01"}'),
    ).toBeUndefined();
  });
});
