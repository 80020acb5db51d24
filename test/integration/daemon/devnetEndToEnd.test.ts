/**
 * End to end on the embedded devnet with a real Redis: the daemon (distributed pipeline, role
 * `all`) indexes the seeded book, a WETH price crash on the devnet's pair moves the scenario
 * metrics and fires the configured alert to a signed webhook receiver and a Slack-shaped one;
 * moving the price back resolves it. Each receiver gets exactly one firing and one resolved message.
 */
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMonitorMetrics } from "../../../src/adapters/metrics/monitorMetrics.js";
import { createCoreEngine } from "../../../src/app/daemon/coreEngine.js";
import { createIndexerSnapshotSource } from "../../../src/app/daemon/indexerSnapshotSource.js";
import { runDaemon } from "../../../src/app/daemon/runDaemon.js";
import { parseConfig } from "../../../src/config/loadConfig.js";
import { DEVNET_SHOCK_TRADER } from "../../../src/devnet/crash.js";
import type { CascadeTarget } from "../../../src/devnet/liquidator/cascadeTarget.js";
import { prepareDevnetActor } from "../../../src/devnet/liquidator/sendCallsInOneBlock.js";
import { targetFromDeploymentFile } from "../../../src/devnet/liquidator/targetFromDeploymentFile.js";
import { movePairsByRatios } from "../../../src/devnet/liquidator/tradeRound.js";
import { type Devnet, startDevnet } from "../../../src/devnet/startDevnet.js";
import { startRedisServer, type TestRedis } from "../../helpers/redisServer.js";
import { type Receiver, startReceiver } from "../../unit/sinks/receiver.js";

const SEED = Number(process.env.SEED ?? 1);
const KEY = Buffer.from("end-to-end devnet signing key!!!", "utf8");
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

let devnet: Devnet;
let redis: TestRedis;
let target: CascadeTarget;
let webhook: Receiver;
let slack: Receiver;

beforeAll(async () => {
  devnet = await startDevnet({ profile: "spot", seed: SEED, positions: 200 });
  target = await targetFromDeploymentFile(devnet.clients.public, devnet.config);
  redis = await startRedisServer();
  webhook = await startReceiver();
  slack = await startReceiver();
});
afterAll(async () => {
  await webhook?.close();
  await slack?.close();
  await redis?.stop();
  await devnet?.stop();
});

async function waitFor(
  what: string,
  probe: () => Promise<boolean> | boolean,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const sample = (text: string, series: string): number | undefined => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};
const types = (r: Receiver) => r.requests.map((q) => (JSON.parse(q.body) as { type: string }).type);

describe("daemon on the devnet", () => {
  it("indexes the book, fires on a price crash to signed webhook and Slack receivers, resolves on recovery", async () => {
    // Baseline: what a 5% WETH drop repays on the seeded book, read through the real indexers.
    const engine = createCoreEngine();
    const baseConfig = parseConfig(devnet.config);
    const baseline = await createIndexerSnapshotSource(baseConfig, {
      signal: AbortSignal.timeout(120_000),
      nowMs: Date.now,
    });
    const synced = await baseline.sync(AbortSignal.timeout(120_000));
    expect(synced.snapshot.positions.length).toBeGreaterThan(100);
    const baselineRepaidUsd = engine.simulate(engine.compile(synced.snapshot), { WETH: -0.05 }, 50).totals
      .repaidUsd;
    const thresholdUsd = baselineRepaidUsd * 1.5 + 10_000;

    const config = parseConfig({
      ...devnet.config,
      scenarios: { intervalSeconds: 1, list: [{ name: "eth-5", shock: { WETH: -0.05 } }] },
      alerts: {
        repeatIntervalSeconds: 3600,
        rules: [
          { kind: "scenarioLiquidations", name: "EthFiveRepaysTooMuch", scenario: "eth-5", thresholdUsd },
        ],
      },
      sinks: [
        { kind: "webhook", name: "hook", url: webhook.url, secret: `whsec_${KEY.toString("base64")}` },
        {
          kind: "slack",
          name: "slack",
          webhookUrl: slack.url,
          dashboardUrl: "http://grafana.local/d/cascade-monitor",
        },
      ],
    });
    const metrics = createMonitorMetrics({ processMetrics: false });
    const controller = new AbortController();
    let port = 0;
    const running = runDaemon({
      config,
      role: "all",
      host: "127.0.0.1",
      port: 0,
      redisUrl: redis.url,
      redisPrefix: redis.prefix,
      logger: quiet,
      signal: controller.signal,
      graceMs: 10_000,
      metrics,
      onListening: (p) => {
        port = p;
      },
    });
    const scrape = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    try {
      await waitFor(
        "the first results",
        async () => port > 0 && (await fetch(`http://127.0.0.1:${port}/readyz`)).ok,
      );
      const before = sample(await scrape(), 'cascade_monitor_scenario_repaid_usd{scenario="eth-5"}');
      expect(before).toBeCloseTo(baselineRepaidUsd, 0);
      const positions = (await scrape())
        .split("\n")
        .filter((l) => l.startsWith("cascade_monitor_book_positions{"))
        .reduce((sum, l) => sum + Number(l.split(" ")[1]), 0);
      expect(positions).toBe(synced.snapshot.positions.length);
      const text = await scrape();
      expect(
        sample(text, 'cascade_monitor_rpc_requests_total{chain_id="31337",method="eth_call"}'),
      ).toBeGreaterThan(0);
      expect(sample(text, 'cascade_monitor_last_indexed_block{chain_id="31337"}')).toBeGreaterThan(0);
      expect(webhook.requests).toHaveLength(0);

      // The crash: WETH's pair (which both protocols' oracles follow) sold down 15%.
      await prepareDevnetActor(devnet.rpcUrl, DEVNET_SHOCK_TRADER);
      await movePairsByRatios(devnet.clients.public, target, DEVNET_SHOCK_TRADER, new Map([["WETH", 0.85]]));
      await waitFor("the firing alert", () => webhook.requests.length >= 1 && slack.requests.length >= 1);
      const crashed = sample(await scrape(), 'cascade_monitor_scenario_repaid_usd{scenario="eth-5"}') ?? 0;
      expect(crashed).toBeGreaterThan(thresholdUsd);
      const req = webhook.requests[0]!;
      const mac = createHmac("sha256", KEY)
        .update(`${req.headers["webhook-id"]}.${req.headers["webhook-timestamp"]}.${req.body}`)
        .digest("base64");
      expect(req.headers["webhook-signature"]).toBe(`v1,${mac}`);
      expect(types(webhook)).toEqual(["alert.firing"]);
      const slackBody = JSON.parse(slack.requests[0]!.body) as {
        text: string;
        blocks: Array<{ type: string }>;
      };
      expect(slackBody.text).toContain("FIRING: EthFiveRepaysTooMuch");

      // Recovery: the pair bought back to where it was.
      await movePairsByRatios(
        devnet.clients.public,
        target,
        DEVNET_SHOCK_TRADER,
        new Map([["WETH", 1 / 0.85]]),
      );
      await waitFor("the resolved alert", () => webhook.requests.length >= 2 && slack.requests.length >= 2);
      await new Promise((r) => setTimeout(r, 2000));
      expect(types(webhook)).toEqual(["alert.firing", "alert.resolved"]);
      expect(slack.requests).toHaveLength(2);
      const after = sample(await scrape(), 'cascade_monitor_scenario_repaid_usd{scenario="eth-5"}') ?? 0;
      expect(after).toBeLessThan(thresholdUsd);
    } finally {
      controller.abort();
      expect((await running).forced).toBe(false);
    }
  }, 300_000);
});
