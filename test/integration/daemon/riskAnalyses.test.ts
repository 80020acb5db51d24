/**
 * The daemon's risk analyses end to end in one process: a cycle computes scenario drivers and
 * leverage clustering, the VaR schedule runs its paths on worker threads, and the HTTP port
 * serves all three and their metrics.
 */
import { afterAll, describe, expect, it } from "vitest";
import { generateBook } from "../../../bench/generateBook.js";
import { createMonitorHttpServer } from "../../../src/adapters/http/monitorHttpServer.js";
import { createMonitorMetrics } from "../../../src/adapters/metrics/monitorMetrics.js";
import { computeResults } from "../../../src/app/daemon/computeResults.js";
import { createCoreEngine } from "../../../src/app/daemon/coreEngine.js";
import { daemonSettings } from "../../../src/app/daemon/daemonSettings.js";
import { publishResults } from "../../../src/app/daemon/publishResults.js";
import { createValueAtRiskSchedule } from "../../../src/app/daemon/valueAtRiskSchedule.js";
import { alertsSectionSchema } from "../../../src/config/schema/alerts.js";
import { riskSectionSchema } from "../../../src/config/schema/risk.js";
import { scenariosSectionSchema } from "../../../src/config/schema/scenarios.js";
import { compileBook } from "../../../src/core/book/compileBook.js";
import { buildReturnModel } from "../../../src/core/risk/buildReturnModel.js";
import { cascadeDrivers } from "../../../src/core/risk/cascadeDrivers.js";
import { valueAtRisk } from "../../../src/core/risk/valueAtRisk.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import { quietLogger } from "./fixtures/pipelineHarness.js";

const snapshot = parseSnapshot(JSON.parse(JSON.stringify(generateBook({ positions: 300, seed: 8 }))));
const risk = riskSectionSchema.parse({
  var: { enabled: true, paths: 30, horizon: "7d", seed: 4, defaultVolatility: 1.2, threads: 2 },
  drivers: { scenarios: ["eth-25"], topPositions: 3 },
  clustering: { assets: ["WETH"], step: 0.05 },
});
const settings = daemonSettings(
  scenariosSectionSchema.parse({ list: [{ name: "eth-25", shock: { WETH: -0.25 } }] }),
  alertsSectionSchema.parse({}),
  120,
  risk,
);
const metrics = createMonitorMetrics({ processMetrics: false });
const schedule = createValueAtRiskSchedule({
  section: risk.var,
  maxRounds: 50,
  latestSnapshot: () => ({ version: 1, snapshot }),
  metrics,
  logger: quietLogger,
  nowMs: () => 1_700_000_000_000,
  elapsedMs: () => performance.now(),
});
afterAll(async () => {
  await schedule.close();
});

describe("risk analyses in the daemon", () => {
  it("computes drivers and clustering per cycle, VaR on threads, and serves them with their metrics", async () => {
    const results = computeResults(
      createCoreEngine(),
      { snapshot, takenAtMs: 0, blocks: {}, heads: {} },
      settings,
      { version: 1, nowMs: () => 0, elapsedMs: () => 0 },
    );
    expect(results.risk?.drivers[0]?.drivers).toEqual(
      cascadeDrivers(snapshot, { WETH: -0.25 }, { topPositions: 3 }),
    );
    expect(results.risk?.clustering[0]?.asset).toBe("WETH");
    publishResults(metrics, results);
    const summary = await schedule.runOnce();
    const { paths: _paths, ...expected } = valueAtRisk(compileBook(snapshot), {
      model: buildReturnModel(snapshot, { defaultVolatility: 1.2 }),
      horizonHours: 168,
      pathCount: 30,
      seed: 4,
      maxRounds: 50,
    });
    expect({ ...summary, version: 0, computedAtMs: 0, durationSeconds: 0 }).toEqual({
      ...JSON.parse(JSON.stringify(expected)),
      model: { ...expected.model, correlationSource: "risk.var.correlations" },
      version: 0,
      computedAtMs: 0,
      durationSeconds: 0,
    });

    const http = createMonitorHttpServer({
      registry: metrics.registry,
      getResults: async () => results,
      readiness: async () => ({ ready: true, reason: "fresh" }),
      simulate: async () => ({}),
      maxBodyBytes: 1024,
      simulateTimeoutMs: 1000,
      getValueAtRisk: async () => schedule.latest(),
    });
    const port = await http.listen(0, "127.0.0.1");
    try {
      const base = `http://127.0.0.1:${port}`;
      const drivers = await fetch(`${base}/api/scenarios/eth-25/drivers`);
      expect(drivers.status).toBe(200);
      expect(((await drivers.json()) as { positions: unknown[] }).positions).toHaveLength(3);
      expect((await fetch(`${base}/api/scenarios/nope/drivers`)).status).toBe(404);
      const clustering = (await (await fetch(`${base}/api/clustering/WETH`)).json()) as {
        buckets: unknown[];
      };
      expect(clustering.buckets).toHaveLength(10);
      const varReport = (await (await fetch(`${base}/api/risk/var`)).json()) as { pathCount: number };
      expect(varReport.pathCount).toBe(30);
      const text = await (await fetch(`${base}/metrics`)).text();
      const p99 = summary!.liquidatedDebtUsd.p99;
      expect(text).toContain(`cascade_monitor_var_usd{measure="liquidated_debt",statistic="p99"} ${p99}`);
      expect(text).toContain("cascade_monitor_var_paths 30");
      expect(text).toMatch(
        /cascade_monitor_scenario_driver_reduction_usd\{scenario="eth-25",market="[^"]+",rank="1",measure="bad_debt"\}/,
      );
      expect(text).toMatch(
        /cascade_monitor_liquidation_cluster_debt_usd\{asset="WETH",drop="-?0\.05",mode="cascade"\}/,
      );
      expect(text).not.toMatch(/account=/);
    } finally {
      await http.close();
    }
  });
});
