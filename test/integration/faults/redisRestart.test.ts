/**
 * Fault suite, Redis: the real daemon in Redis mode on a devnet while its Redis is killed with
 * SIGKILL mid-cycle and started again, first with its append-only file, then empty. During each
 * outage the probes and the scrape answer within a second (503 naming Redis, the last metric
 * values with `cascade_monitor_redis_up 0`); afterwards the pipeline recovers on its own; the logs
 * stay one JSON object per line, with a bounded number of lines per outage.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Devnet, startDevnet } from "../../../src/devnet/startDevnet.js";
import { type DaemonProcess, startDaemonProcess, waitUntil } from "../../helpers/daemonProcess.js";
import { type OwnRedis, startOwnRedisServer } from "../../helpers/redisServer.js";
import { deliveredById, type Receiver, startReceiver } from "../../unit/sinks/receiver.js";
import { stateFor, writeFaultConfig } from "./faultHarness.js";

let devnet: Devnet;
let redis: OwnRedis;
let hook: Receiver;
let daemon: DaemonProcess | undefined;

beforeAll(async () => {
  [devnet, redis, hook] = await Promise.all([
    startDevnet({ profile: "spot", seed: 2, positions: 40 }),
    startOwnRedisServer({ appendOnly: true }),
    startReceiver(),
  ]);
}, 120_000);
afterAll(async () => {
  await daemon?.kill();
  await hook?.close();
  await redis?.stop();
  await devnet?.stop();
});

const sample = (metrics: string, series: string): number | undefined => {
  const line = metrics.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

async function version(d: DaemonProcess): Promise<number | undefined> {
  const res = await d.get("/api/snapshot/summary").catch(() => undefined);
  return res?.status === 200 ? (JSON.parse(res.body) as { version: number }).version : undefined;
}

/** During an outage: every probe answers within a second, and says why. */
async function expectAnswersWithoutRedis(d: DaemonProcess): Promise<void> {
  const ready = await d.get("/readyz", 3000);
  expect(ready.ms).toBeLessThan(1000);
  expect(ready.status).toBe(503);
  expect(ready.body).toContain("Redis");
  const metrics = await d.get("/metrics", 3000);
  expect(metrics.ms).toBeLessThan(1000);
  expect(metrics.status).toBe(200);
  expect(sample(metrics.body, "cascade_monitor_redis_up")).toBe(0);
  // The last values are still served.
  expect(sample(metrics.body, 'cascade_monitor_scenario_repaid_usd{scenario="eth-50"}')).toBeGreaterThan(1);
  const api = await d.get("/api/scenarios", 3000);
  expect(api.ms).toBeLessThan(1000);
  expect(api.status).toBe(503);
  expect(await d.get("/healthz")).toMatchObject({ status: 200 });
}

describe("Redis killed mid-cycle", () => {
  it("answers probes within a second during the outage and recovers after a restart with its data, then empty", async () => {
    const state = await stateFor("redis", redis.url, "restart");
    const { file, env } = await writeFaultConfig(state.dir, devnet, [
      { name: "hook", url: hook.url, timeoutSeconds: 2 },
    ]);
    daemon = startDaemonProcess(["--config", file, "--port", "0", "--grace-seconds", "2"], {
      ...env,
      ...state.env,
    });
    const d = daemon;
    await waitUntil("the first delivery", () => hook.requests.length >= 1, 90_000);
    await waitUntil("ready", async () => (await d.get("/readyz")).status === 200);
    const firstId = String(hook.requests[0]!.headers["webhook-id"]);

    // 1. Killed, restarted with its append-only file: the state survives, nothing is sent again.
    const linesBefore = d.stderr.length;
    await redis.kill();
    await new Promise((r) => setTimeout(r, 1500));
    await expectAnswersWithoutRedis(d);
    await new Promise((r) => setTimeout(r, 3000));
    const outageLines = d.stderr.slice(linesBefore);
    await redis.restart();
    const versionAfterPersistent = await waitUntil("a new cycle", async () => {
      const v = await version(d);
      return v !== undefined && (await d.get("/readyz")).status === 200 ? v : undefined;
    });
    const grows = await waitUntil("cycles to continue", async () => {
      const v = await version(d);
      return v !== undefined && v > versionAfterPersistent ? v : undefined;
    });
    expect(grows).toBeGreaterThan(versionAfterPersistent);
    expect(deliveredById(hook)).toEqual(new Map([[firstId, 1]]));
    expect(sample((await d.get("/metrics")).body, "cascade_monitor_redis_up")).toBe(1);

    // 2. Killed, restarted empty: the schedulers come back, cycles resume from version 1, and the
    // alert state being gone, the still-firing alert is announced once more under a new id.
    await redis.kill();
    await new Promise((r) => setTimeout(r, 1500));
    await expectAnswersWithoutRedis(d);
    await redis.restart({ empty: true });
    await waitUntil(
      "ready again after an empty restart",
      async () => (await d.get("/readyz")).status === 200,
      30_000,
    );
    await waitUntil("the alert announced again", () => hook.requests.length >= 2, 30_000);
    await new Promise((r) => setTimeout(r, 2000));
    const delivered = deliveredById(hook);
    expect(delivered.size).toBe(2);
    expect([...delivered.values()]).toEqual([1, 1]);

    // Logs: one JSON object per line, and an outage of a few seconds costs a handful of lines.
    for (const line of d.stderr) expect(() => JSON.parse(line), line).not.toThrow();
    expect(outageLines.length, outageLines.join("\n")).toBeLessThan(12);
    d.process.kill("SIGTERM");
    expect((await d.exited).code).toBe(0);
    await state.cleanup();
  }, 240_000);
});
