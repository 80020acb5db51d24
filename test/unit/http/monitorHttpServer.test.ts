import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import {
  createMonitorHttpServer,
  type MonitorHttpDeps,
} from "../../../src/adapters/http/monitorHttpServer.js";
import { createMonitorMetrics } from "../../../src/adapters/metrics/monitorMetrics.js";
import type { MonitorResults } from "../../../src/adapters/store/monitorResults.js";
import { UserInputError } from "../../../src/core/errors.js";

const T = Date.UTC(2026, 10, 21, 12);

function results(overrides: Partial<MonitorResults> = {}): MonitorResults {
  return {
    version: 3,
    snapshotTakenAtMs: T,
    computedAtMs: T + 500,
    blocks: { "31337": 120 },
    heads: { "31337": 121 },
    book: { positions: 2, collateralUsd: 5e6, debtUsd: 3e6, byProtocol: {}, markets: [], exposures: [] },
    scenarios: [],
    curves: [
      { asset: "WETH", shock: -0.1, directRepaidUsd: 100, totalRepaidUsd: 150, badDebtUsd: 0 },
      { asset: "WETH", shock: -0.2, directRepaidUsd: 300, totalRepaidUsd: 500, badDebtUsd: 1 },
    ],
    criticalShocks: [{ asset: "WETH", cascadeShock: -0.15, badDebtShock: -0.45 }],
    positionsAtRisk: [
      { market: "m", protocol: "aave-v3", account: "0x2", healthFactor: 1.04, collateralUsd: 1, debtUsd: 1 },
      { market: "m", protocol: "aave-v3", account: "0x1", healthFactor: 1.01, collateralUsd: 1, debtUsd: 1 },
      {
        market: "m",
        protocol: "morpho-blue",
        account: "0x3",
        healthFactor: 1.02,
        collateralUsd: 1,
        debtUsd: 1,
      },
    ],
    ...overrides,
  };
}

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(overrides: Partial<MonitorHttpDeps> = {}) {
  const metrics = createMonitorMetrics({ processMetrics: false });
  let current: MonitorResults | undefined;
  const deps: MonitorHttpDeps = {
    registry: metrics.registry,
    getResults: async () => current,
    readiness: async () =>
      current === undefined ? { ready: false, reason: "not synced" } : { ready: true, reason: "fresh" },
    simulate: async (request) => ({
      schema: "cascade-report/2",
      shock: request.shock,
      maxRounds: request.maxRounds,
    }),
    maxBodyBytes: 1024,
    simulateTimeoutMs: 300,
    ...overrides,
  };
  const http = createMonitorHttpServer(deps);
  servers.push(http);
  const port = await http.listen(0, "127.0.0.1");
  return {
    base: `http://127.0.0.1:${port}`,
    metrics,
    setResults: (r: MonitorResults) => {
      current = r;
    },
  };
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

describe("monitor HTTP server", () => {
  it("is alive at once and ready only once results exist", async () => {
    const s = await start();
    expect((await fetch(`${s.base}/healthz`)).status).toBe(200);
    const notReady = await fetch(`${s.base}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ status: "not ready", reason: "not synced" });
    expect((await fetch(`${s.base}/api/snapshot/summary`)).status).toBe(503);
    s.setResults(results());
    expect((await fetch(`${s.base}/readyz`)).status).toBe(200);
    const summary = await (await fetch(`${s.base}/api/snapshot/summary`)).json();
    expect(summary).toMatchObject({
      version: 3,
      positions: 2,
      debtUsd: 3e6,
      snapshotTakenAt: "2026-11-21T12:00:00.000Z",
    });
  });

  it("serves Prometheus text at /metrics", async () => {
    const s = await start();
    s.metrics.recordCriticalShocks([{ asset: "WETH", cascadeShock: -0.15, badDebtShock: null }]);
    const res = await fetch(`${s.base}/metrics`);
    expect(res.headers.get("content-type")).toContain("text/plain");
    expect(await res.text()).toContain(
      'cascade_monitor_critical_shock_ratio{asset="WETH",kind="cascade"} -0.15',
    );
  });

  it("serves a curve per asset, 404 naming the known assets otherwise", async () => {
    const s = await start();
    s.setResults(results());
    const curve = (await (await fetch(`${s.base}/api/curve/WETH`)).json()) as {
      points: Array<{ shock: number }>;
      critical: unknown;
    };
    expect(curve.points.map((p: { shock: number }) => p.shock)).toEqual([-0.1, -0.2]);
    expect(curve.critical).toEqual({ asset: "WETH", cascadeShock: -0.15, badDebtShock: -0.45 });
    const missing = await fetch(`${s.base}/api/curve/DOGE`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toBe(
      'no curve for asset "DOGE"; curves exist for: WETH',
    );
  });

  it("lists at-risk positions by health factor, with a bounded limit", async () => {
    const s = await start();
    s.setResults(results());
    const body = (await (await fetch(`${s.base}/api/positions/at-risk?limit=2`)).json()) as {
      total: number;
      positions: Array<{ account: string }>;
    };
    expect(body.total).toBe(3);
    expect(body.positions.map((p: { account: string }) => p.account)).toEqual(["0x1", "0x3"]);
    expect((await fetch(`${s.base}/api/positions/at-risk?limit=0`)).status).toBe(400);
  });

  it("guards POST /api/simulate with a bearer token and validates the shock", async () => {
    const s = await start({ bearerToken: "t0ken" });
    expect((await post(`${s.base}/api/simulate`, { shock: { WETH: -0.2 } })).status).toBe(401);
    expect(
      (await post(`${s.base}/api/simulate`, { shock: { WETH: -0.2 } }, { authorization: "Bearer nope!" }))
        .status,
    ).toBe(401);
    const ok = await post(
      `${s.base}/api/simulate`,
      { shock: { WETH: -0.2 } },
      { authorization: "Bearer t0ken" },
    );
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ schema: "cascade-report/2", shock: { WETH: -0.2 }, maxRounds: 50 });
    const bad = await post(
      `${s.base}/api/simulate`,
      { shock: { WETH: -1.5 } },
      { authorization: "Bearer t0ken" },
    );
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe(
      "shock.WETH: must be a fraction above -1 (e.g. -0.2)",
    );
    expect((await fetch(`${s.base}/api/simulate`)).status).toBe(405);
  });

  it("answers 400 with the engine's message for a shock it refuses", async () => {
    const s = await start({
      simulate: async () => {
        throw new UserInputError("unknown asset DOGE in the shock; the book has WETH, USDC");
      },
    });
    const res = await post(`${s.base}/api/simulate`, { shock: { DOGE: -0.2 } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "unknown asset DOGE in the shock; the book has WETH, USDC" });
  });

  it("refuses bodies over the size limit with 413", async () => {
    const s = await start();
    const res = await post(`${s.base}/api/simulate`, { shock: { WETH: -0.2 }, pad: "x".repeat(5000) });
    expect(res.status).toBe(413);
  });

  it("answers 504 when a simulation outlives its time limit and 429 while one runs", async () => {
    const s = await start({ simulate: () => sleep(600).then(() => ({})) });
    const first = post(`${s.base}/api/simulate`, { shock: { WETH: -0.2 } });
    await sleep(50);
    const second = await post(`${s.base}/api/simulate`, { shock: { WETH: -0.1 } });
    expect(second.status).toBe(429);
    expect(second.headers.get("retry-after")).toBe("1");
    const t0 = Date.now();
    const res = await first;
    expect(res.status).toBe(504);
    expect(Date.now() - t0).toBeLessThan(500);
  });
});
