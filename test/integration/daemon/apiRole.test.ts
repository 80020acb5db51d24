/**
 * Roles in separate runs sharing one Redis: an `api` process serves the results and metrics that
 * an `all` process computed (it copies the stored results into its own gauges at scrape time),
 * and the VaR run the distributed schedule stored.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDaemon } from "../../../src/app/daemon/runDaemon.js";
import { parseConfig } from "../../../src/config/loadConfig.js";
import { startRedisServer, type TestRedis } from "../../helpers/redisServer.js";
import { priceSource, quietLogger } from "./fixtures/pipelineHarness.js";

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

describe("api role", () => {
  it("serves what the workers computed, from Redis", async () => {
    const config = parseConfig({
      chains: [{ id: 31337, name: "local", rpc: ["http://127.0.0.1:9"] }],
      assets: [{ id: "WETH" }, { id: "USDC" }],
      scenarios: { intervalSeconds: 0.5, list: [{ name: "eth-10", shock: { WETH: -0.1 } }] },
      risk: { var: { enabled: true, paths: 20, intervalSeconds: 1, horizon: "7d" } },
    });
    const controller = new AbortController();
    const ports: Record<string, number> = {};
    const common = {
      config,
      host: "127.0.0.1",
      port: 0,
      redisUrl: redis.url,
      redisPrefix: redis.prefix,
      logger: quietLogger,
      signal: controller.signal,
      graceMs: 5000,
    };
    const worker = runDaemon({
      ...common,
      role: "all",
      source: priceSource(2700),
      onListening: (p) => {
        ports.all = p;
      },
    });
    const api = runDaemon({
      ...common,
      role: "api",
      onListening: (p) => {
        ports.api = p;
      },
    });
    try {
      const deadline = Date.now() + 30_000;
      let text = "";
      while (Date.now() < deadline) {
        if (ports.api !== undefined) {
          text = await (await fetch(`http://127.0.0.1:${ports.api}/metrics`)).text();
          if (text.includes('cascade_monitor_scenario_repaid_usd{scenario="eth-10"}')) break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      // At WETH 2700, a 10% drop leaves the fixture position at health factor 0.972: half its
      // 20,000 USDC debt is repaid in round 1 (and more if the sale deepens the drop).
      const repaid = Number(
        text
          .split("\n")
          .find((l) => l.startsWith('cascade_monitor_scenario_repaid_usd{scenario="eth-10"}'))
          ?.split(" ")[1],
      );
      expect(repaid).toBeGreaterThanOrEqual(10_000);
      expect((await fetch(`http://127.0.0.1:${ports.api}/readyz`)).status).toBe(200);
      const summary = (await (await fetch(`http://127.0.0.1:${ports.api}/api/snapshot/summary`)).json()) as {
        debtUsd: number;
      };
      expect(summary.debtUsd).toBe(20_000);
      // The VaR schedule runs in distributed mode too; any role serves its newest run.
      let status = 0;
      let report: { pathCount?: number; version?: number } = {};
      while (Date.now() < deadline) {
        const res = await fetch(`http://127.0.0.1:${ports.api}/api/risk/var`);
        status = res.status;
        report = (await res.json()) as typeof report;
        if (status === 200) break;
        expect(status).toBe(503);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(200);
      expect(report.pathCount).toBe(20);
      expect(report.version).toBeGreaterThanOrEqual(1);
      // The api role took no VaR job, yet its /metrics carries the run's gauges.
      const scraped = await (await fetch(`http://127.0.0.1:${ports.api}/metrics`)).text();
      expect(scraped).toMatch(/^cascade_monitor_var_paths 20$/m);
    } finally {
      controller.abort();
      await Promise.all([worker, api]);
    }
  });
});
