/**
 * `distributedChild.ts POSITIONS SEED`: the distributed cycle on 1, 2 and 4 simulate worker
 * processes sharing one Redis (a redis-server started here, or REDIS_URL, never flushed), rows as
 * JSON lines on stdout. The cycle is a 32-point WETH curve, each point a task job; its time runs
 * from the cycle's flow being queued to its parent job finished, so it includes each worker
 * loading the cycle's book from Redis (JSON parse and compile, measured here alone as well).
 * The steady rate leaves that load out: per worker process (a job's `processedBy`), the points
 * after its first one over the time from that first one's end to its last one's, summed.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createMonitorMetrics } from "../src/adapters/metrics/monitorMetrics.js";
import { DEFAULT_WORKER_OPTIONS } from "../src/adapters/queue/pipelineWorker.js";
import { createRedisConnection } from "../src/adapters/queue/redisConnection.js";
import { createCoreEngine } from "../src/app/daemon/coreEngine.js";
import { daemonSettings } from "../src/app/daemon/daemonSettings.js";
import { startDistributedPipeline } from "../src/app/daemon/distributedPipeline.js";
import { alertsSectionSchema } from "../src/config/schema/alerts.js";
import { scenariosSectionSchema } from "../src/config/schema/scenarios.js";
import { parseSnapshot } from "../src/core/snapshot/parseSnapshot.js";
import { startRedisServer } from "../test/helpers/redisServer.js";
import { generateBook } from "./generateBook.js";
import { median } from "./measure.js";

const WORKER = fileURLToPath(new URL("./simulateWorkerChild.ts", import.meta.url));
const POINTS = 32;
const WORKER_COUNTS = [1, 2, 4] as const;

const [positionsText, seedText] = process.argv.slice(2);
const positions = Number(positionsText);
const seed = Number(seedText ?? "1");
if (!Number.isSafeInteger(positions) || positions <= 0)
  throw new Error("usage: distributedChild.ts POSITIONS SEED");
const emit = (row: object) =>
  process.stdout.write(`${JSON.stringify({ suite: "cycle", positions, ...row })}\n`);
const log = (line: string) => process.stderr.write(`${line}\n`);
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

log(`cycle (distributed): generating a ${positions}-position book`);
const snapshot = parseSnapshot(generateBook({ positions, seed }));
const blob = JSON.stringify({ takenAtMs: 0, blocks: {}, heads: {}, snapshot });
const engine = createCoreEngine();
const t0 = performance.now();
engine.compile((JSON.parse(blob) as { snapshot: typeof snapshot }).snapshot);
const loadMs = performance.now() - t0;
emit({ measure: "a worker's book load (JSON parse + compile), alone", value: loadMs, unit: "ms", runs: 1 });

const shocks = Array.from(
  { length: POINTS },
  (_, i) => -Math.round((((i + 1) * 0.5) / POINTS) * 1000) / 1000,
);
const settings = daemonSettings(
  scenariosSectionSchema.parse({ intervalSeconds: 3600, curves: { assets: ["WETH"], shocks } }),
  alertsSectionSchema.parse({ rules: [] }),
  120,
);

/** Wall time of `count` plain CPU-bound processes side by side (the same fixed loop each). */
async function spin(count: number): Promise<number> {
  const loop = "let x = 0; for (let i = 0; i < 2e8; i++) x += i % 7; if (x < 0) console.log(x);";
  const t = performance.now();
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<void>((resolve, reject) =>
          spawn(process.execPath, ["-e", loop], { stdio: "ignore" })
            .once("exit", () => resolve())
            .once("error", reject),
        ),
    ),
  );
  return performance.now() - t;
}
// The machine's parallelism right now, as the control of the ratios below: 2 on two free cores.
const alone = await spin(1);
emit({
  measure: "control: 2 CPU-bound processes side by side, work done per second / 1 alone",
  value: (2 * alone) / (await spin(2)),
  unit: "count",
  note: "2 when two cores are free; what the 2-process ratios can reach at best",
});

const redis = await startRedisServer();
const connection = createRedisConnection(redis.url);
const children: ChildProcess[] = [];
const throughput = new Map<number, number>();
const steadyThroughput = new Map<number, number>();
try {
  for (const workers of WORKER_COUNTS) {
    const prefix = `${redis.prefix}-w${workers}`;
    log(`cycle (distributed): ${workers} simulate worker process(es)`);
    const started = Array.from({ length: workers }, () => {
      const child = spawn(process.execPath, [...process.execArgv, WORKER], {
        env: { ...process.env, REDIS_URL: redis.url, PIPELINE_PREFIX: prefix },
        stdio: ["ignore", "pipe", "inherit"],
      });
      children.push(child);
      return new Promise<void>((resolve, reject) => {
        child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
          if (chunk.includes("ready")) resolve();
        });
        child.once("exit", (code) => reject(new Error(`simulate worker exited with ${code}`)));
      });
    });
    await Promise.all(started);
    const pipeline = await startDistributedPipeline({
      role: "sync",
      connection,
      prefix,
      engine,
      source: {
        sync: async () => ({ snapshot, takenAtMs: Date.now(), blocks: { "1": 1 }, heads: { "1": 1 } }),
        close: async () => undefined,
      },
      sinks: [],
      settings,
      metrics: createMonitorMetrics({ processMetrics: false }),
      logger: quiet,
      workerOptions: { ...DEFAULT_WORKER_OPTIONS, lockDurationMs: 120_000, stalledIntervalMs: 120_000 },
      nowMs: Date.now,
      elapsedMs: () => performance.now(),
      schedule: false,
    });
    const cycleMs: number[] = [];
    const steady: number[] = [];
    for (let version = 1; version <= 2; version++) {
      await pipeline.queues.sync.add("sync", { reason: "manual" });
      const id = `simulate-v${version}`;
      let finished: { timestamp: number; finishedOn: number } | undefined;
      while (finished === undefined) {
        await new Promise((r) => setTimeout(r, 20));
        const job = await pipeline.queues.simulate.getJob(id);
        if (job?.finishedOn !== undefined)
          finished = { timestamp: job.timestamp, finishedOn: job.finishedOn };
        if (job?.failedReason !== undefined) throw new Error(`cycle ${version} failed: ${job.failedReason}`);
      }
      cycleMs.push(finished.finishedOn - finished.timestamp);
      const tasks = await Promise.all(
        Array.from({ length: POINTS + 1 }, (_, i) => pipeline.queues.task.getJob(`task-v${version}-${i}`)),
      );
      const byWorker = new Map<string, Array<{ start: number; end: number }>>();
      for (const t of tasks) {
        if (t?.processedOn === undefined || t.finishedOn === undefined) continue;
        const list = byWorker.get(t.processedBy ?? "") ?? [];
        list.push({ start: t.processedOn, end: t.finishedOn });
        byWorker.set(t.processedBy ?? "", list);
      }
      let rate = 0;
      for (const list of byWorker.values()) {
        list.sort((a, b) => a.start - b.start);
        const spanMs = (list.at(-1)?.end ?? 0) - (list[0]?.end ?? 0);
        if (list.length > 1 && spanMs > 0) rate += ((list.length - 1) / spanMs) * 1000;
      }
      steady.push(rate);
    }
    await pipeline.close(10_000);
    for (const child of children.splice(0)) {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      await exited;
    }
    const ms = median(cycleMs);
    const perSecond = (POINTS / ms) * 1000;
    throughput.set(workers, perSecond);
    steadyThroughput.set(workers, median(steady));
    emit({
      measure: `curve points per second, ${workers} simulate process(es), cycle wall time`,
      value: perSecond,
      unit: "per s",
      runs: cycleMs.length,
      note: `${POINTS}-point cycle in ${Math.round(ms)} ms, each worker's book load included`,
    });
    emit({
      measure: `curve points per second, ${workers} simulate process(es), book loaded`,
      value: median(steady),
      unit: "per s",
      runs: steady.length,
      note: "per process, after its first task (which loads the book), summed",
    });
  }
  for (const [label, rates] of [
    ["cycle wall time", throughput],
    ["book loaded", steadyThroughput],
  ] as const) {
    const one = rates.get(1) ?? Number.NaN;
    for (const workers of [2, 4] as const)
      emit({
        measure: `curve-point throughput, ${workers} processes / 1 process, ${label}`,
        value: (rates.get(workers) ?? Number.NaN) / one,
        unit: "count",
        ...(workers === 2 ? { target: { min: 1.6 } } : {}),
        note: "2 cores shared with the rest of the machine",
      });
  }
} finally {
  for (const child of children) child.kill("SIGKILL");
  connection.disconnect();
  await redis.stop();
}
