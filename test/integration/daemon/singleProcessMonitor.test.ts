import { createHmac } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createMonitorMetrics } from "../../../src/adapters/metrics/monitorMetrics.js";
import { createSlackSink } from "../../../src/adapters/sinks/slackSink.js";
import { createWebhookSink } from "../../../src/adapters/sinks/webhookSink.js";
import { readCheckpoint } from "../../../src/adapters/store/checkpointFile.js";
import { createMemoryResultStore } from "../../../src/adapters/store/memoryResultStore.js";
import { createCoreEngine } from "../../../src/app/daemon/coreEngine.js";
import type { SnapshotSource, SyncedSnapshot } from "../../../src/app/daemon/daemonPorts.js";
import { daemonSettings } from "../../../src/app/daemon/daemonSettings.js";
import { createSingleProcessMonitor } from "../../../src/app/daemon/singleProcessMonitor.js";
import { alertsSectionSchema } from "../../../src/config/schema/alerts.js";
import { scenariosSectionSchema } from "../../../src/config/schema/scenarios.js";
import { type Receiver, startReceiver } from "../../unit/sinks/receiver.js";
import { testBook } from "./bookFixture.js";

const KEY = Buffer.from("daemon-test-signing-key-32-bytes", "utf8");
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const webhook = await startReceiver();
  const slack = await startReceiver();
  cleanups.push(
    () => webhook.close(),
    () => slack.close(),
  );
  const dir = await mkdtemp(join(tmpdir(), "cm-daemon-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  let clockMs = Date.UTC(2026, 10, 21, 12);
  let price = 3000;
  const source: SnapshotSource = {
    sync: async (): Promise<SyncedSnapshot> => ({
      snapshot: testBook(price, new Date(clockMs).toISOString()),
      takenAtMs: clockMs,
      blocks: { "31337": 100 },
      heads: { "31337": 102 },
    }),
    close: async () => undefined,
  };
  const settings = daemonSettings(
    scenariosSectionSchema.parse({
      list: [{ name: "eth-10", shock: { WETH: -0.1 } }],
      curves: { assets: ["WETH"], shocks: [-0.1, -0.2] },
      criticalShockAssets: ["WETH"],
    }),
    alertsSectionSchema.parse({
      repeatIntervalSeconds: 3600,
      rules: [
        {
          kind: "scenarioLiquidations",
          name: "ScenarioLiquidationsHigh",
          scenario: "eth-10",
          thresholdUsd: 5000,
        },
      ],
    }),
    120,
  );
  const metrics = createMonitorMetrics({ processMetrics: false });
  const store = createMemoryResultStore();
  const checkpointFile = join(dir, "checkpoint.json");
  const monitor = createSingleProcessMonitor({
    engine: createCoreEngine(),
    source,
    store,
    metrics,
    sinks: [
      createWebhookSink({
        name: "hook",
        url: webhook.url,
        secret: `whsec_${KEY.toString("base64")}`,
        timeoutMs: 2000,
      }),
      createSlackSink({ name: "slack", webhookUrl: slack.url, timeoutMs: 2000 }),
    ],
    settings,
    logger: quiet,
    retryPolicy: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 },
    startVersion: 0,
    checkpointFile,
    nowMs: () => clockMs,
    elapsedMs: () => performance.now(),
  });
  return {
    monitor,
    metrics,
    store,
    webhook,
    slack,
    checkpointFile,
    setPrice: (p: number) => {
      price = p;
    },
    tick: (ms: number) => {
      clockMs += ms;
    },
  };
}

const bodies = (r: Receiver) => r.requests.map((q) => JSON.parse(q.body) as { type?: string; text?: string });

describe("single-process monitor", () => {
  it("moves the metrics on a price crash, fires once to both sinks, and resolves when the book recovers", async () => {
    const t = await setup();
    const signal = AbortSignal.timeout(30_000);
    await t.monitor.runCycle(signal);
    await t.monitor.drain(5000);
    expect(t.webhook.requests).toHaveLength(0);
    let text = await t.metrics.registry.metrics();
    expect(text).toContain('cascade_monitor_scenario_repaid_usd{scenario="eth-10"} 0');
    expect(text).toContain(
      'cascade_monitor_book_debt_usd{protocol="aave-v3",market="aave-v3:31337:0xpool",asset="USDC"} 20000',
    );
    expect(text).toContain('cascade_monitor_indexer_lag_blocks{chain_id="31337"} 2');

    t.setPrice(2700);
    t.tick(12_000);
    await t.monitor.runCycle(signal);
    await t.monitor.drain(5000);
    text = await t.metrics.registry.metrics();
    // Round 1 at WETH 2430 repays the close factor's half of the 20,000 USDC debt.
    expect(text).toContain(
      'cascade_monitor_liquidatable_debt_usd{asset="WETH",shock="-0.10",mode="direct"} 10000',
    );
    expect(text).toContain(
      'cascade_monitor_alerts_firing{alertname="ScenarioLiquidationsHigh",severity="warning"} 1',
    );
    expect(bodies(t.webhook).map((b) => b.type)).toEqual(["alert.firing"]);
    expect(bodies(t.slack)[0]?.text).toContain("FIRING: ScenarioLiquidationsHigh");
    const req = t.webhook.requests[0]!;
    const expected = createHmac("sha256", KEY)
      .update(`${req.headers["webhook-id"]}.${req.headers["webhook-timestamp"]}.${req.body}`)
      .digest("base64");
    expect(req.headers["webhook-signature"]).toBe(`v1,${expected}`);
    const atRisk = (await t.store.getResults())?.positionsAtRisk ?? [];
    expect(atRisk.map((p) => p.healthFactor)).toEqual([(10 * 2700 * 0.8) / 20_000]);

    // Still crashed: deduplicated, nothing new is sent.
    t.tick(12_000);
    await t.monitor.runCycle(signal);
    await t.monitor.drain(5000);
    expect(t.webhook.requests).toHaveLength(1);

    t.setPrice(3000);
    t.tick(12_000);
    await t.monitor.runCycle(signal);
    await t.monitor.drain(5000);
    expect(bodies(t.webhook).map((b) => b.type)).toEqual(["alert.firing", "alert.resolved"]);
    expect(bodies(t.slack).map((b) => b.text?.split(":")[0])).toEqual(["FIRING", "RESOLVED"]);

    const checkpoint = await readCheckpoint(t.checkpointFile);
    expect(checkpoint?.version).toBe(4);
    expect(checkpoint?.results?.version).toBe(4);
    expect(checkpoint?.alertBook?.alerts).toEqual([]);
  });
});
