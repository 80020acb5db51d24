/**
 * Fault suite, deliveries: the real daemon (`cascade-monitor start` in a child process) on a real
 * devnet, in both run modes, with real receivers that hang, fail then recover, answer 410, or
 * work. Every case counts successful deliveries by `webhook-id` at the receivers: nothing is lost,
 * nothing is sent twice, across a kill -9 and a SIGTERM with a delivery hanging.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Devnet, startDevnet } from "../../../src/devnet/startDevnet.js";
import { type DaemonProcess, startDaemonProcess, waitUntil } from "../../helpers/daemonProcess.js";
import { startRedisServer, type TestRedis } from "../../helpers/redisServer.js";
import { deliveredById, type Receiver, startReceiver } from "../../unit/sinks/receiver.js";
import { type RunMode, stateFor, writeFaultConfig } from "./faultHarness.js";

let devnet: Devnet;
let redis: TestRedis;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  [devnet, redis] = await Promise.all([
    startDevnet({ profile: "spot", seed: 1, positions: 40 }),
    startRedisServer(),
  ]);
}, 120_000);
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(async () => {
  await redis?.stop();
  await devnet?.stop();
});

async function receiver(reply: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const r = await startReceiver(reply);
  cleanups.push(() => r.close());
  return r;
}

function daemon(args: string[], env: Record<string, string>): DaemonProcess {
  const d = startDaemonProcess(args, env);
  cleanups.push(() => d.kill());
  return d;
}

const sample = (metrics: string, series: string): number | undefined => {
  const line = metrics.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe.each<RunMode>(["single", "redis"])("deliveries under faults (%s)", (mode) => {
  it("isolates a hanging, a failing and a gone sink from a healthy one, and loses nothing to a kill -9", async () => {
    const hang = await receiver((i) => (i === 0 ? { hang: true } : { status: 200 }));
    let recovered = false;
    const flaky = await receiver(() => ({ status: recovered ? 200 : 500 }));
    const gone = await receiver(() => ({ status: 410 }));
    const healthy = await receiver(() => ({ status: 200 }));
    const state = await stateFor(mode, redis.url, `sinks-${mode}`);
    cleanups.push(state.cleanup);
    // The hanging and the failing sink come first: a shared delivery line would hold the healthy one.
    const { file, env } = await writeFaultConfig(state.dir, devnet, [
      { name: "hang", url: hang.url, timeoutSeconds: 1 },
      { name: "flaky", url: flaky.url, timeoutSeconds: 1 },
      { name: "gone", url: gone.url, timeoutSeconds: 1 },
      { name: "healthy", url: healthy.url, timeoutSeconds: 1 },
    ]);
    const args = ["--config", file, "--port", "0", "--grace-seconds", "2", ...state.args];
    const first = daemon(args, { ...env, ...state.env });
    await waitUntil("the healthy delivery", () => healthy.requests.length >= 1, 90_000);
    await waitUntil("the hanging sink's first attempt", () => hang.requests.length >= 1, 10_000);
    // Dispatched together; the healthy sink did not wait for the hanging one's timeout.
    expect(Math.abs(healthy.requests[0]!.atMs - hang.requests[0]!.atMs)).toBeLessThan(900);
    // The hanging attempt timed out after 1 s and the retry went through.
    await waitUntil("the retry after the hang", () => hang.requests.some((r) => r.status === 200), 15_000);
    expect(hang.requests[1]!.atMs - hang.requests[0]!.atMs).toBeGreaterThanOrEqual(1000);
    await waitUntil("the flaky sink retrying", () => flaky.requests.length >= 2, 15_000);
    await waitUntil("the 410", () => gone.requests.length >= 1, 15_000);
    // The daemon has recorded what the receivers saw (a kill right after a 2xx it had not yet
    // recorded would rightly send again: at-least-once).
    const metrics = await waitUntil("the deliveries counted", async () => {
      const text = (await first.get("/metrics")).body;
      const sent = (sink: string) =>
        sample(text, `cascade_monitor_notifications_sent_total{sink="${sink}",kind="webhook"}`);
      return sent("healthy") === 1 && sent("hang") === 1 ? text : undefined;
    });
    expect(sample(metrics, 'cascade_monitor_sink_disabled{sink="gone"}')).toBe(1);

    // kill -9 while the flaky sink's delivery is between retries, then the receiver recovers.
    expect((await first.kill()).signal).toBe("SIGKILL");
    const failedBeforeKill = flaky.requests.length;
    recovered = true;
    const second = daemon(args, { ...env, ...state.env });
    await waitUntil(
      "the flaky delivery after the restart",
      () => flaky.requests.some((r) => r.status === 200),
      60_000,
    );
    await second.port();
    await new Promise((r) => setTimeout(r, 2500));

    const ids = new Set(
      [healthy, hang, flaky, gone].flatMap((r) => r.requests.map((q) => q.headers["webhook-id"])),
    );
    expect(ids.size).toBe(1); // one notification, the same id to every sink and on every retry
    const [id] = [...ids] as string[];
    for (const [name, r] of Object.entries({ healthy, hang, flaky }))
      expect({ name, delivered: deliveredById(r) }).toEqual({ name, delivered: new Map([[id, 1]]) });
    expect(flaky.requests.length).toBeGreaterThan(failedBeforeKill);
    expect(gone.requests).toHaveLength(1); // 410: given up at once, not retried, not re-sent after the restart
    expect(healthy.requests).toHaveLength(1);
    second.process.kill("SIGTERM");
    expect((await second.exited).code).toBe(0);
  }, 240_000);

  it("exits within the grace time plus a second on SIGTERM while a delivery hangs, and sends it after the restart", async () => {
    let stalls = true;
    const stall = await receiver(() => (stalls ? { hang: true } : { status: 200 }));
    const state = await stateFor(mode, redis.url, `sigterm-${mode}`);
    cleanups.push(state.cleanup);
    const { file, env } = await writeFaultConfig(state.dir, devnet, [
      { name: "stall", url: stall.url, timeoutSeconds: 60 },
    ]);
    const args = ["--config", file, "--port", "0", "--grace-seconds", "1", ...state.args];
    const first = daemon(args, { ...env, ...state.env });
    await waitUntil("the hanging delivery", () => stall.requests.length >= 1, 90_000);
    const stopAt = Date.now();
    first.process.kill("SIGTERM");
    const exit = await first.exited;
    expect(exit.atMs - stopAt).toBeLessThan(1000 + 1000 + 500);
    expect(exit.code).toBe(1); // work abandoned at the grace timeout
    expect(first.stderr.join("\n")).toContain("grace time with work unfinished");

    stalls = false;
    const second = daemon(args, { ...env, ...state.env });
    await waitUntil(
      "the delivery after the restart",
      () => stall.requests.some((r) => r.status === 200),
      60_000,
    );
    await new Promise((r) => setTimeout(r, 2000));
    const id = String(stall.requests[0]!.headers["webhook-id"]);
    expect(deliveredById(stall)).toEqual(new Map([[id, 1]]));
    second.process.kill("SIGTERM");
    expect((await second.exited).code).toBe(0);
  }, 240_000);
});
