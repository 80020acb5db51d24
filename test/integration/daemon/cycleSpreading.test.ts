/**
 * A single-process cycle spread over worker threads gives exactly the results of the main thread,
 * and a cycle that outlives the interval skips the starts it overran (counted, and reported by
 * `/readyz` past `server.maxCyclesBehind`) instead of queueing them.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createMonitorMetrics } from "../../../src/adapters/metrics/monitorMetrics.js";
import { createMemoryResultStore } from "../../../src/adapters/store/memoryResultStore.js";
import { computeResults } from "../../../src/app/daemon/computeResults.js";
import { createCoreEngine } from "../../../src/app/daemon/coreEngine.js";
import { type CycleTaskRunner, threadPoolTaskRunner } from "../../../src/app/daemon/cycleTaskRunner.js";
import { isDerived, longestFirst, planCycle } from "../../../src/app/daemon/cycleTasks.js";
import type { SnapshotSource } from "../../../src/app/daemon/daemonPorts.js";
import { runDaemon } from "../../../src/app/daemon/runDaemon.js";
import { createSingleProcessMonitor } from "../../../src/app/daemon/singleProcessMonitor.js";
import { parseConfig } from "../../../src/config/loadConfig.js";
import { riskSectionSchema } from "../../../src/config/schema/risk.js";
import { cycleSettings, generatedSource, priceSource, quietLogger } from "./fixtures/pipelineHarness.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const settingsWithRisk = {
  ...cycleSettings,
  risk: riskSectionSchema.parse({
    drivers: { scenarios: ["eth-20"], topPositions: 3 },
    clustering: { assets: ["WETH"], step: 0.05 },
  }),
};

describe("cycle tasks", () => {
  it("plans one task per scenario, curve point, search and analysis, costliest queued first, a curve point a scenario runs derived", () => {
    const source = generatedSource(200, 3, 0);
    return source.sync(AbortSignal.timeout(1000)).then(({ snapshot }) => {
      const tasks = planCycle(snapshot, settingsWithRisk);
      expect(tasks.map((t) => t.kind)).toEqual([
        "summary",
        ...Array(5).fill("scenario"),
        ...Array(8).fill("curvePoint"),
        "criticalShock",
        "criticalShock",
        "drivers",
        "clustering",
      ]);
      const order = longestFirst(tasks);
      expect(order.slice(0, 4).map((i) => tasks[i]?.kind)).toEqual([
        "drivers",
        "clustering",
        "criticalShock",
        "criticalShock",
      ]);
      // The curve points at -10%, -20% and -30% of WETH are the eth-10/20/30 scenarios' runs.
      const derived = tasks.flatMap((t, i) => (isDerived(t) ? [i] : []));
      expect(derived.map((i) => tasks[i])).toMatchObject(
        [-0.1, -0.2, -0.3].map((shock, k) => ({
          kind: "curvePoint",
          asset: "WETH",
          shock,
          fromScenario: 1 + k,
        })),
      );
      expect(tasks.slice(1, 4).map((t) => (t.kind === "scenario" ? t.curvePoint : undefined))).toEqual([
        "WETH",
        "WETH",
        "WETH",
      ]);
      expect([...order, ...derived].sort((a, b) => a - b)).toEqual(tasks.map((_, i) => i));
    });
  });

  it("gives byte-identical results on two worker threads and in the main thread, cycle after cycle", async () => {
    const runner: CycleTaskRunner = threadPoolTaskRunner(2);
    cleanups.push(() => runner.close());
    const clock = { nowMs: () => 1_790_000_000_000, elapsedMs: () => 0 };
    for (const seed of [11, 12]) {
      const source = generatedSource(1500, seed, 1_789_999_990_000);
      const store = createMemoryResultStore();
      const monitor = createSingleProcessMonitor({
        engine: createCoreEngine(),
        source,
        store,
        metrics: createMonitorMetrics({ processMetrics: false }),
        sinks: [],
        settings: settingsWithRisk,
        logger: quietLogger,
        retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
        startVersion: seed,
        ...clock,
        taskRunner: runner,
      });
      await monitor.runCycle(AbortSignal.timeout(60_000));
      const stored = JSON.stringify(await store.getResults());
      const single = computeResults(
        createCoreEngine(),
        await source.sync(AbortSignal.timeout(1000)),
        settingsWithRisk,
        { version: seed + 1, ...clock },
      );
      // Durations measured in the threads are real; only they may differ.
      expect(withoutDurations(stored)).toBe(withoutDurations(JSON.stringify(single)));
    }
  });
});

function withoutDurations(json: string): string {
  return json.replace(/"durationSeconds":[0-9.e+-]+/g, '"durationSeconds":0');
}

describe("back-pressure in one process", () => {
  it("skips the starts a slow cycle overran, counts them, and /readyz says so past maxCyclesBehind", async () => {
    const config = parseConfig({
      chains: [{ id: 31337, name: "local", rpc: ["http://127.0.0.1:9"] }],
      assets: [{ id: "WETH" }, { id: "USDC" }],
      scenarios: { intervalSeconds: 0.2, list: [{ name: "eth-10", shock: { WETH: -0.1 } }] },
      server: { maxCyclesBehind: 2 },
    });
    const prices = priceSource(3000);
    let syncs = 0;
    let release: (() => void) | undefined;
    // The first cycle is quick; the second one's sync hangs until the test releases it.
    const source: SnapshotSource = {
      sync: async (signal) => {
        syncs += 1;
        if (syncs === 2) await new Promise<void>((resolve) => (release = resolve));
        return prices.sync(signal);
      },
      close: async () => undefined,
    };
    const metrics = createMonitorMetrics({ processMetrics: false });
    const controller = new AbortController();
    let port = 0;
    const running = runDaemon({
      config,
      role: "all",
      host: "127.0.0.1",
      port: 0,
      redisPrefix: "unused",
      logger: quietLogger,
      signal: controller.signal,
      graceMs: 2000,
      source,
      metrics,
      onListening: (p) => {
        port = p;
      },
    });
    cleanups.push(async () => {
      release?.();
      controller.abort();
      await running;
    });
    const readyz = async () => {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      return { status: res.status, body: await res.text() };
    };
    await until(async () => port > 0 && (await readyz()).status === 200);
    await until(() => release !== undefined);
    // 0.2 s cycles: after a second stuck in one, it has overrun four starts, past the limit of 2.
    const behind = await until(async () => {
      const r = await readyz();
      return r.status === 503 ? r : undefined;
    });
    expect(behind.body).toMatch(/cycle starts skipped while a cycle runs \(limit 2\)/);
    release?.();
    await until(async () => (await readyz()).status === 200);
    const skipped = Number(
      (await metrics.registry.getSingleMetricAsString("cascade_monitor_cycles_skipped_total"))
        .split("\n")
        .find((l) => l.startsWith("cascade_monitor_cycles_skipped_total "))
        ?.split(" ")[1],
    );
    expect(skipped).toBeGreaterThanOrEqual(3);
    // The stuck cycle's starts were skipped, not queued: one sync ran right after it, no backlog.
    const syncsAfter = syncs;
    await new Promise((r) => setTimeout(r, 300));
    expect(syncs - syncsAfter).toBeLessThanOrEqual(2);
  });
});

async function until<T>(probe: () => Promise<T | undefined | false> | T | undefined | false): Promise<T> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("timed out");
}
