import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createMonitorMetrics, type MonitorMetrics } from "../../../src/adapters/metrics/monitorMetrics.js";
import { KEEP_COMPLETED } from "../../../src/adapters/queue/pipelineJobs.js";
import { createRedisPipelineState } from "../../../src/adapters/queue/redisPipelineState.js";
import { createWebhookSink } from "../../../src/adapters/sinks/webhookSink.js";
import type { ValueAtRiskSummary } from "../../../src/adapters/store/monitorResults.js";
import { computeResults } from "../../../src/app/daemon/computeResults.js";
import { createCoreEngine } from "../../../src/app/daemon/coreEngine.js";
import { type CycleTask, longestFirst } from "../../../src/app/daemon/cycleTasks.js";
import type { CascadeEngine, SnapshotSource } from "../../../src/app/daemon/daemonPorts.js";
import type { DaemonRole } from "../../../src/app/daemon/daemonRole.js";
import type { DaemonSettings } from "../../../src/app/daemon/daemonSettings.js";
import {
  type DistributedPipeline,
  startDistributedPipeline,
} from "../../../src/app/daemon/distributedPipeline.js";
import { returnModelSpecOf } from "../../../src/app/risk/returnModelSpecOf.js";
import { runValueAtRisk } from "../../../src/app/risk/runValueAtRisk.js";
import { buildReturnModel } from "../../../src/core/risk/buildReturnModel.js";
import { redisForFile } from "../../helpers/redisForFile.js";
import { type Receiver, startReceiver } from "../../unit/sinks/receiver.js";
import {
  cycleSettings,
  generatedSource,
  harnessSettings,
  priceSource,
  quietLogger,
  slowTaskEngine,
  valueAtRiskSettings,
} from "./fixtures/pipelineHarness.js";

const CHILD = fileURLToPath(new URL("./fixtures/simulateWorkerProcess.ts", import.meta.url));
const SECRET = `whsec_${Buffer.from("distributed-pipeline-test-key!!").toString("base64")}`;

const redis = redisForFile();

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function pipeline(
  role: DaemonRole,
  prefix: string,
  options: {
    source?: SnapshotSource;
    receiver?: Receiver;
    metrics?: MonitorMetrics;
    intervalSeconds?: number;
    settings?: DaemonSettings;
    engine?: CascadeEngine;
  } = {},
): Promise<DistributedPipeline> {
  const settings = options.settings ?? harnessSettings;
  const p = await startDistributedPipeline({
    role,
    connection: redis.connection,
    prefix,
    engine: options.engine ?? createCoreEngine(),
    ...(options.source === undefined ? {} : { source: options.source }),
    sinks:
      options.receiver === undefined
        ? []
        : [createWebhookSink({ name: "hook", url: options.receiver.url, secret: SECRET, timeoutMs: 2000 })],
    settings:
      options.intervalSeconds === undefined
        ? settings
        : { ...settings, scenarios: { ...settings.scenarios, intervalSeconds: options.intervalSeconds } },
    metrics: options.metrics ?? createMonitorMetrics({ processMetrics: false }),
    logger: quietLogger,
    workerOptions: {
      concurrency: 1,
      lockDurationMs: 1500,
      stalledIntervalMs: 500,
      retryPolicy: { maxAttempts: 5, baseDelayMs: 20, maxDelayMs: 500 },
    },
    nowMs: Date.now,
    elapsedMs: () => performance.now(),
    schedule: options.intervalSeconds !== undefined,
  });
  redis.afterThisTest(async () => {
    await p.close(5000);
  });
  return p;
}

function child(
  prefix: string,
  slowMs: number,
  lockMs = 1500,
  extraEnv: Record<string, string> = {},
): { process: ChildProcess; lines: string[]; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, ["--import", "tsx", CHILD], {
    env: {
      ...process.env,
      REDIS_URL: redis.url,
      PIPELINE_PREFIX: prefix,
      SLOW_MS: String(slowMs),
      LOCK_MS: String(lockMs),
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines: string[] = [];
  proc.stdout
    ?.setEncoding("utf8")
    .on("data", (chunk: string) => lines.push(...chunk.split("\n").filter(Boolean)));
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  redis.afterThisTest(async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
    await exited;
  });
  return { process: proc, lines, exited };
}

const prefixFor = () => redis.nextPrefix("t");
const types = (r: Receiver) => r.requests.map((q) => (JSON.parse(q.body) as { type: string }).type);

describe("distributed pipeline on BullMQ", () => {
  it("runs sync → simulate → evaluate → notify, fires once, resolves once, keeps job retention bounded", async () => {
    const prefix = prefixFor();
    const receiver = await startReceiver();
    redis.afterThisTest(() => receiver.close());
    const source = priceSource(3000);
    const metrics = createMonitorMetrics({ processMetrics: false });
    const p = await pipeline("all", prefix, { source, receiver, metrics });

    await p.queues.sync.add("sync", { reason: "manual" });
    await waitFor("results v1", async () => ((await p.store.getResults())?.version === 1 ? true : undefined));
    source.setPrice(2700);
    await p.queues.sync.add("sync", { reason: "manual" });
    await waitFor("a firing delivery", () => (receiver.requests.length >= 1 ? true : undefined));
    expect(types(receiver)).toEqual(["alert.firing"]);

    // Replays do not duplicate: the same evaluation id is ignored, a fresh evaluation finds nothing new.
    await p.queues.evaluate.add("evaluate", { version: 2 }, { jobId: "evaluate-v2" });
    await p.queues.evaluate.add("evaluate", { version: 0 }, { jobId: "evaluate-manual-1" });
    await waitFor("manual evaluation", async () =>
      (await p.queues.evaluate.getJobState("evaluate-manual-1")) === "completed" ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.requests).toHaveLength(1);

    source.setPrice(3000);
    await p.queues.sync.add("sync", { reason: "manual" });
    await waitFor("a resolved delivery", () => (receiver.requests.length >= 2 ? true : undefined));
    expect(types(receiver)).toEqual(["alert.firing", "alert.resolved"]);

    // The receiver sees the request before the worker records the job as completed.
    const notifyJobs = await waitFor("both notify jobs completed", async () => {
      const jobs = await p.queues.notify.get("hook")!.getJobs(["completed"]);
      return jobs.length >= 2 ? jobs : undefined;
    });
    expect(notifyJobs).toHaveLength(2);
    expect(notifyJobs[0]?.opts.removeOnComplete).toEqual(KEEP_COMPLETED);
    expect(notifyJobs.map((j) => j.id?.startsWith("notify-"))).toEqual([true, true]);
    expect(await p.queues.simulate.getJobCounts("failed")).toEqual({ failed: 0 });
    // Three cycles, each measured once from the chain read to its notifications queued.
    const latency = (await metrics.registry.getSingleMetricAsString("cascade_monitor_cycle_latency_seconds"))
      .split("\n")
      .find((l) => l.startsWith("cascade_monitor_cycle_latency_seconds_count"));
    expect(latency).toBe("cascade_monitor_cycle_latency_seconds_count 3");
    // A source of whole snapshots: each cycle's book is a keyframe, read and compiled once.
    const loads = await metrics.registry.getSingleMetricAsString("cascade_monitor_book_loads_total");
    expect(loads).toContain('cascade_monitor_book_loads_total{kind="keyframe"} 3');
    expect(loads).not.toContain('kind="changes"');
  });

  it("syncs from a job scheduler and skips starts while a cycle still runs, then catches up on the newest block", async () => {
    const prefix = prefixFor();
    const metrics = createMonitorMetrics({ processMetrics: false });
    const p = await pipeline("sync", prefix, { source: priceSource(3000), intervalSeconds: 0.3, metrics });
    const schedulers = await p.queues.sync.getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.every])).toEqual([["sync-every", 300]]);
    // No simulate worker yet: the first cycle stays queued, and the next starts are skipped.
    await waitFor("three skipped starts", async () =>
      (await metrics.registry.getSingleMetricAsString("cascade_monitor_cycles_skipped_total")).includes(
        "cascade_monitor_cycles_skipped_total 3",
      )
        ? true
        : undefined,
    );
    expect(await p.queues.simulate.getJobState("simulate-v1")).toBe("waiting-children");
    expect(await p.queues.simulate.getJobState("simulate-v2")).toBe("unknown");
    const tasks = await p.queues.task.getJobs(["wait"]);
    // Summary and eth-10; the curve's -10% point is eth-10's run (task 2, derived, not queued).
    expect(tasks.map((j) => j.id).sort()).toEqual(["task-v1-0", "task-v1-1"]);
    // The cycle's ids are its own: queueing cycle 1 again (a retried sync) adds nothing.
    const parent = await p.queues.simulate.getJob("simulate-v1");
    await p.queues.addCycle(parent!.data, longestFirst(parent!.data.tasks as CycleTask[]));
    expect((await p.queues.task.getJobs(["wait"])).length).toBe(2);
    expect(await p.queues.simulate.getJobCounts("waiting-children", "wait")).toEqual({
      "waiting-children": 1,
      wait: 0,
    });
    // A simulate worker finishes cycle 1; its end queues a catch-up sync at once.
    await pipeline("simulate", prefix);
    const catchUp = await waitFor("the catch-up sync", async () =>
      (await p.queues.sync.getJobState("sync-catch-up-after-v1")) === "completed" ? true : undefined,
    );
    expect(catchUp).toBe(true);
    await waitFor("cycle 2", async () => ((await p.store.getResults())?.version ?? 0) >= 2 || undefined);
  });

  it("spreads a cycle's tasks over two worker processes and assembles exactly the single-process results", async () => {
    const prefix = prefixFor();
    const fixedNowMs = 1_790_000_000_000;
    const workers = [0, 1].map(() =>
      child(prefix, 0, 1500, { TASK_MS: "60", FIXED_NOW_MS: String(fixedNowMs) }),
    );
    for (const w of workers)
      await waitFor(
        "child worker ready",
        () => (w.lines.includes("worker-ready") ? true : undefined),
        30_000,
      );
    const source = generatedSource(2000, 7, fixedNowMs - 5000);
    const syncer = await pipeline("sync", prefix, { source, settings: cycleSettings });
    await syncer.queues.sync.add("sync", { reason: "manual" });
    const stored = await waitFor(
      "results v1",
      async () => {
        const results = await syncer.store.getResults();
        return results?.version === 1 ? results : undefined;
      },
      60_000,
    );
    // Both processes took a share of the 12 simulations, curve points and searches run (the
    // curve's -10/-20/-30% points are the eth-10/20/30 scenarios' runs, not run again).
    const shares = workers.map((w) => w.lines.filter((l) => l === "task-run").length);
    expect(shares[0]! + shares[1]!).toBe(12);
    expect(Math.min(...shares)).toBeGreaterThan(0);
    const single = computeResults(
      createCoreEngine(),
      await source.sync(AbortSignal.timeout(1000)),
      cycleSettings,
      {
        version: 1,
        nowMs: () => fixedNowMs,
        elapsedMs: () => 0,
      },
    );
    expect(stored.scenarios).toHaveLength(5);
    expect(stored.curves).toHaveLength(8);
    expect(stored.criticalShocks).toHaveLength(2);
    expect(JSON.stringify(stored)).toBe(JSON.stringify(single));
  });

  it("runs the VaR schedule with its paths as task jobs shared by two processes, as one process computes it", async () => {
    const prefix = prefixFor();
    const other = child(prefix, 0, 1500, { TASK_MS: "20" });
    await waitFor(
      "child worker ready",
      () => (other.lines.includes("worker-ready") ? true : undefined),
      30_000,
    );
    const source = priceSource(2700);
    const settings = valueAtRiskSettings(60, 1);
    // The schedulers' first sync and first VaR start at once; a VaR start before results waits for the next.
    const p = await pipeline("all", prefix, {
      source,
      settings,
      engine: slowTaskEngine(20),
      intervalSeconds: 3600,
    });
    const state = createRedisPipelineState(redis.connection, prefix);
    const json = await waitFor("a value-at-risk run", () => state.getValueAtRisk(), 30_000);
    const summary = JSON.parse(json) as ValueAtRiskSummary;
    expect(summary.version).toBe(1);
    expect(summary.pathCount).toBe(60);
    expect(other.lines.filter((l) => l === "task-run").length).toBeGreaterThan(0);
    const snapshot = (await source.sync(AbortSignal.timeout(1000))).snapshot;
    const section = settings.risk.var;
    const { paths: _paths, ...expected } = await runValueAtRisk(
      { kind: "snapshot", snapshot, overrides: [], key: "expected" },
      {
        model: buildReturnModel(snapshot, returnModelSpecOf(section)),
        horizonHours: section.horizon,
        pathCount: section.paths,
        seed: section.seed,
        maxRounds: settings.scenarios.maxRounds,
      },
    );
    const { version: _v, computedAtMs: _c, durationSeconds: _d, ...got } = summary;
    expect(JSON.stringify(got)).toBe(JSON.stringify(expected));
    expect(await p.queues.var.getJobCounts("failed")).toEqual({ failed: 0 });
  });

  it("retries a notification after a 429's Retry-After and delivers it once", async () => {
    const prefix = prefixFor();
    const receiver = await startReceiver((i) =>
      i === 0 ? { status: 429, headers: { "retry-after": "1" } } : { status: 200 },
    );
    redis.afterThisTest(() => receiver.close());
    const p = await pipeline("all", prefix, { source: priceSource(2700), receiver });
    await p.queues.sync.add("sync", { reason: "manual" });
    await waitFor("the retried delivery", () => (receiver.requests.length >= 2 ? true : undefined));
    expect(receiver.requests[1]!.atMs - receiver.requests[0]!.atMs).toBeGreaterThanOrEqual(990);
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.requests).toHaveLength(2);
    expect(new Set(receiver.requests.map((q) => q.headers["webhook-id"])).size).toBe(1);
    expect(await p.queues.notify.get("hook")!.getJobCounts("completed", "failed")).toEqual({
      completed: 1,
      failed: 0,
    });
  });

  it("loses no job and sends no duplicate alert when a simulate worker is killed mid-job", async () => {
    const prefix = prefixFor();
    const receiver = await startReceiver();
    redis.afterThisTest(() => receiver.close());
    const source = priceSource(2700);
    const worker = child(prefix, 30_000);
    await waitFor(
      "child worker ready",
      () => (worker.lines.includes("worker-ready") ? true : undefined),
      30_000,
    );
    const syncer = await pipeline("sync", prefix, { source });
    await pipeline("notify", prefix, { receiver });

    await syncer.queues.sync.add("sync", { reason: "manual" });
    await waitFor("the child to start the job", () =>
      worker.lines.includes("first-task-started") ? true : undefined,
    );
    worker.process.kill("SIGKILL");
    await worker.exited;
    expect(await syncer.queues.simulate.getJobState("simulate-v1")).toBe("waiting-children");
    expect(await syncer.queues.task.getJobCounts("active")).toEqual({ active: 1 });

    // A fresh simulate worker takes over the task once the dead worker's lock expires.
    await pipeline("simulate", prefix);
    await waitFor("the firing delivery", () => (receiver.requests.length >= 1 ? true : undefined));
    expect(await syncer.queues.simulate.getJobState("simulate-v1")).toBe("completed");
    await new Promise((r) => setTimeout(r, 1000));
    expect(types(receiver)).toEqual(["alert.firing"]);
    for (const queue of [syncer.queues.simulate, syncer.queues.task])
      expect(await queue.getJobCounts("failed", "wait", "active")).toEqual({ failed: 0, wait: 0, active: 0 });
    expect(await syncer.queues.evaluate.getJobState("evaluate-v1")).toBe("completed");
  });

  it("finishes the in-flight job and exits 0 on SIGTERM", async () => {
    const prefix = prefixFor();
    // The lock outlives the blocking job, so the job keeps its lock while the event loop is busy.
    const worker = child(prefix, 1500, 10_000);
    await waitFor(
      "child worker ready",
      () => (worker.lines.includes("worker-ready") ? true : undefined),
      30_000,
    );
    const syncer = await pipeline("sync", prefix, { source: priceSource(3000) });
    await syncer.queues.sync.add("sync", { reason: "manual" });
    await waitFor("the child to start the job", () =>
      worker.lines.includes("first-task-started") ? true : undefined,
    );
    worker.process.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    expect(worker.lines).toContain("closed-gracefully");
    // The task in flight finished; the rest of the cycle waits for the next worker.
    expect(await syncer.queues.task.getJobCounts("active", "failed")).toEqual({ active: 0, failed: 0 });
    expect((await syncer.queues.task.getJobCounts("completed")).completed).toBeGreaterThanOrEqual(1);
    await pipeline("simulate", prefix);
    await waitFor("results v1", async () => (await syncer.store.getResults())?.version === 1 || undefined);
    expect(await syncer.queues.simulate.getJobState("simulate-v1")).toBe("completed");
  });

  it("returns an in-flight job to the queue when it outlives the grace time, and another worker finishes it", async () => {
    const prefix = prefixFor();
    const worker = child(prefix, 8000, 1500, { ROLE: "sync", GRACE_MS: "300" });
    await waitFor(
      "child worker ready",
      () => (worker.lines.includes("worker-ready") ? true : undefined),
      30_000,
    );
    const queues = await pipeline("api", prefix);
    const job = await queues.queues.sync.add("sync", { reason: "manual" });
    await waitFor("the child to start the sync", () =>
      worker.lines.includes("sync-started") ? true : undefined,
    );
    worker.process.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    expect(worker.lines).toContain("closed-forced");
    // A fresh sync worker takes the abandoned job over once its lock expires.
    await pipeline("sync", prefix, { source: priceSource(3000) });
    await waitFor("the job to complete", async () =>
      (await queues.queues.sync.getJobState(job.id ?? "")) === "completed" ? true : undefined,
    );
    expect(await queues.queues.simulate.getJobState("simulate-v1")).toBe("waiting-children");
  });
});
