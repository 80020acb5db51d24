/**
 * `distributedChild.ts POSITIONS SEED [alternated]`: the distributed cycle on 1, 2 and 4 simulate worker
 * processes sharing one Redis (a redis-server started here, or REDIS_URL, never flushed), rows as
 * JSON lines on stdout. The cycle is a 32-point WETH curve, each point a task job; its time runs
 * from the sync job being queued to the cycle's parent job finished. Each worker count runs
 * twice, side by side, `CYCLES` cycles each: with a sync that hands over whole snapshots (the
 * book stored whole every cycle, every worker reading and compiling it for its first task, as
 * before the workers kept their books), and with a sync that hands over each block's changes
 * (100 positions' balances moved, the header sent again, as the indexers do): the workers read
 * a keyframe in the first cycle and then apply each block's changes. The figures are the steady
 * state, the cycles after the first: wall time, bytes Redis received per cycle (its
 * `total_net_input_bytes`, job traffic and results included), bytes of the book stored (keyframe
 * and changes) and the rate with the book loaded (per worker
 * process, a job's `processedBy`, the points after its first one over the time from that first
 * one's end to its last one's, summed), and where a cycle's wall time goes (the sync job, the
 * tasks, the parent, by the jobs' own times). Two controls run first: plain CPU-bound processes
 * side by side, and the cycle's own curve points in 1 and 2 processes without Redis
 * (`curvePointsChild.ts`), the ceiling of the 2-worker ratio for this memory-bound work. Last,
 * 1 and 2 workers alternate cycle by cycle on the same two processes, one paused by IPC every
 * other cycle (each in turn): the ratio the target is judged by. `alternated` runs only that
 * and the controls.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createRedisConnection } from "../src/adapters/queue/redisConnection.js";
import { readArrowSnapshot } from "../src/adapters/snapshot/decodeArrowSnapshot.js";
import { encodeArrowSnapshot } from "../src/adapters/snapshot/encodeArrowSnapshot.js";
import {
  decodeSnapshotChanges,
  encodeSnapshotChanges,
} from "../src/adapters/snapshot/snapshotChangesCodec.js";
import { createCoreEngine } from "../src/app/daemon/coreEngine.js";
import type { SnapshotSource } from "../src/app/daemon/daemonPorts.js";
import { daemonSettings } from "../src/app/daemon/daemonSettings.js";
import { startDistributedPipeline } from "../src/app/daemon/distributedPipeline.js";
import { alertsSectionSchema } from "../src/config/schema/alerts.js";
import { scenariosSectionSchema } from "../src/config/schema/scenarios.js";
import { applySnapshotChanges, compileSnapshot } from "../src/core/book/compiledSnapshot.js";
import { createPrng } from "../src/core/random/createPrng.js";
import { parseSnapshot } from "../src/core/snapshot/parseSnapshot.js";
import { headerOf, type SnapshotChanges } from "../src/core/snapshot/snapshotChanges.js";
import { randomBalanceMoves } from "../test/helpers/randomBalanceMoves.js";
import { startRedisServer } from "../test/helpers/redisServer.js";
import { benchPipelineDeps } from "./benchPipelineDeps.js";
import { DISTRIBUTED_CURVE_SHOCKS, DISTRIBUTED_POINTS } from "./distributedCurve.js";
import { generateBook } from "./generateBook.js";
import { median } from "./measure.js";

const WORKER = fileURLToPath(new URL("./simulateWorkerChild.ts", import.meta.url));
const CONTROL = fileURLToPath(new URL("./curvePointsChild.ts", import.meta.url));
const POINTS = DISTRIBUTED_POINTS;
const WORKER_COUNTS = [1, 2, 4] as const;
/** Cycles per run: the first loads the book, the others are the steady state. */
const CYCLES = 4;
/** Cycles of each worker count when 1 and 2 workers alternate cycle by cycle. */
const ALTERNATED = 8;
/** Positions whose balances each block moves. */
const TOUCHED = 100;

const [positionsText, seedText, only] = process.argv.slice(2);
/** `alternated`: only the controls and the alternated 1- and 2-worker cycles. */
const alternatedOnly = only === "alternated";
const positions = Number(positionsText);
const seed = Number(seedText ?? "1");
if (!Number.isSafeInteger(positions) || positions <= 0)
  throw new Error("usage: distributedChild.ts POSITIONS SEED [alternated]");
const emit = (row: object) =>
  process.stdout.write(`${JSON.stringify({ suite: "cycle", positions, ...row })}\n`);
const log = (line: string) => process.stderr.write(`${line}\n`);

log(`cycle (distributed): generating a ${positions}-position book`);
const document = generateBook({ positions, seed });
const snapshot = parseSnapshot(structuredClone(document));
const engine = createCoreEngine();
/** One block of the steady state: balances moved, the header sent again. */
const prng = createPrng(seed);
const blockChanges = (): SnapshotChanges => ({
  header: headerOf(snapshot),
  ...randomBalanceMoves(prng, snapshot, { touched: TOUCHED, zeroChance: 0 }),
});
{
  // What a worker does, alone: read and compile a keyframe (first task), apply a block (later cycles).
  let t0 = performance.now();
  const whole = encodeArrowSnapshot(snapshot);
  const encodeMs = performance.now() - t0;
  t0 = performance.now();
  let compiled = compileSnapshot(readArrowSnapshot(whole));
  const loadMs = performance.now() - t0;
  const changes = encodeSnapshotChanges(blockChanges());
  t0 = performance.now();
  compiled = applySnapshotChanges(compiled, decodeSnapshotChanges(changes)).compiled;
  const applyMs = performance.now() - t0;
  if (compiled.book.positions.count !== snapshot.positions.length)
    throw new Error("the update lost positions");
  emit({ measure: "the sync's keyframe encode (Arrow), alone", value: encodeMs, unit: "ms", runs: 1 });
  emit({
    measure: "a worker's keyframe load (Arrow read + compile), alone",
    value: loadMs,
    unit: "ms",
    runs: 1,
    note: `${whole.byteLength} bytes`,
  });
  emit({
    measure: `a worker's update by one block's changes (${TOUCHED} positions and the header), alone`,
    value: applyMs,
    unit: "ms",
    runs: 1,
    note: `${changes.byteLength} bytes`,
  });
}

/** A source of whole snapshots (stored whole every cycle) or of each block's changes. */
function sourceOf(mode: Mode): SnapshotSource {
  const facts = () => ({ takenAtMs: Date.now(), heads: { "1": 1 } });
  const sync = async () => ({ snapshot, blocks: { "1": 1 }, ...facts() });
  if (mode === "whole") return { sync, close: async () => undefined };
  return {
    sync,
    syncBook: async (_signal, whole) =>
      whole
        ? { kind: "document", document, ...facts() }
        : { kind: "changes", changes: blockChanges(), ...facts() },
    close: async () => undefined,
  };
}
type Mode = "whole" | "changes";
const MODES: readonly Mode[] = ["whole", "changes"];
const modeLabel = (mode: Mode) =>
  mode === "whole" ? "book stored whole every cycle" : "workers apply each block's changes";

const settings = daemonSettings(
  scenariosSectionSchema.parse({
    intervalSeconds: 3600,
    curves: { assets: ["WETH"], shocks: [...DISTRIBUTED_CURVE_SHOCKS] },
  }),
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

/**
 * Curve points per second of `count` processes side by side, each running the cycle's points on
 * its own compiled copy of the book (`curvePointsChild.ts`, no Redis), started together once all
 * have loaded; summed.
 */
async function curvePointsSideBySide(count: number): Promise<number> {
  const controls = Array.from({ length: count }, () => {
    const child = spawn(process.execPath, [...process.execArgv, CONTROL, String(positions), String(seed)], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    let out = "";
    const loaded = new Promise<void>((resolve, reject) => {
      child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
        out += chunk;
        if (out.includes("loaded\n")) resolve();
      });
      child.once("exit", (code) =>
        code === 0 ? undefined : reject(new Error(`control exited with ${code}`)),
      );
    });
    const done = new Promise<number>((resolve, reject) =>
      child.once("exit", (code) => {
        const line = out.split("\n").find((l) => l.startsWith("{"));
        if (code !== 0 || line === undefined) reject(new Error(`control exited with ${code}`));
        else resolve((JSON.parse(line) as { pointsPerSecond: number }).pointsPerSecond);
      }),
    );
    return { child, loaded, done };
  });
  await Promise.all(controls.map((c) => c.loaded));
  for (const c of controls) c.child.stdin?.end("go\n");
  return (await Promise.all(controls.map((c) => c.done))).reduce((a, b) => a + b, 0);
}
log(`cycle (distributed): control, the ${POINTS} points in 1 and then 2 processes without Redis`);
const pointsAlone = await curvePointsSideBySide(1);
const pointsControl = (await curvePointsSideBySide(2)) / pointsAlone;
emit({
  measure: `control: the cycle's ${POINTS} curve points in 2 processes side by side, no Redis, per second / 1 alone`,
  value: pointsControl,
  unit: "count",
  note: `${pointsAlone.toFixed(2)} points/s alone; the ceiling of the 2-worker ratio for this work on this machine now`,
});

const redis = await startRedisServer();
const connection = createRedisConnection(redis.url);
const children: ChildProcess[] = [];
/** Per mode and worker count: curve points per second by wall time, and with the book loaded. */
const throughput = new Map<string, number>();
const steadyThroughput = new Map<string, number>();
const key = (mode: Mode, workers: number) => `${mode}/${workers}`;
const receivedBytes = async (): Promise<number> =>
  Number(/total_net_input_bytes:(\d+)/.exec(await connection.info("stats"))?.[1] ?? Number.NaN);

/** A simulate worker process that can be told to stop taking jobs (`pause`) and to go on. */
interface WorkerProcess {
  pause(): Promise<void>;
  resume(): Promise<void>;
}

async function startWorkers(count: number, prefix: string): Promise<WorkerProcess[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const child = spawn(process.execPath, [...process.execArgv, WORKER], {
        env: { ...process.env, REDIS_URL: redis.url, PIPELINE_PREFIX: prefix },
        stdio: ["ignore", "pipe", "inherit", "ipc"],
      });
      children.push(child);
      await new Promise<void>((resolve, reject) => {
        child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
          if (chunk.includes("ready")) resolve();
        });
        child.once("exit", (code) => reject(new Error(`simulate worker exited with ${code}`)));
      });
      const ask = (message: "pause" | "resume") =>
        new Promise<void>((resolve) => {
          child.once("message", () => resolve());
          child.send(message);
        });
      return { pause: () => ask("pause"), resume: () => ask("resume") };
    }),
  );
}

async function stopWorkers(): Promise<void> {
  for (const child of children.splice(0)) {
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    await exited;
  }
}

/** One cycle, queued by a manual sync and waited for until its parent job is done. */
interface CycleMeasure {
  readonly wallMs: number;
  /** Curve points per second with the book loaded (per process, after its first task, summed). */
  readonly rate: number;
  readonly bytes: number;
  readonly bookBytes: number;
  /** Where its wall time went, by the jobs' own start and end times. */
  readonly phases: ReadonlyArray<readonly [string, number]>;
}

async function measureCycle(
  pipeline: Awaited<ReturnType<typeof startDistributedPipeline>>,
  prefix: string,
  version: number,
): Promise<CycleMeasure> {
  const before = await receivedBytes();
  const t0 = Date.now();
  const syncJob = await pipeline.queues.sync.add("sync", { reason: "manual" });
  const id = `simulate-v${version}`;
  let finishedOn: number | undefined;
  let parent: { processedOn?: number | undefined } = {};
  while (finishedOn === undefined) {
    await new Promise((r) => setTimeout(r, 20));
    const job = await pipeline.queues.simulate.getJob(id);
    if (job?.finishedOn !== undefined) {
      finishedOn = job.finishedOn;
      parent = job;
    }
    if (job?.failedReason !== undefined) throw new Error(`cycle ${version} failed: ${job.failedReason}`);
  }
  const bytes = (await receivedBytes()) - before;
  const stored = `${prefix}:state:book:${version}`;
  const bookBytes =
    (await connection.strlen(`${stored}:whole`)) + (await connection.strlen(`${stored}:changes`));
  const tasks = (
    await Promise.all(
      Array.from({ length: POINTS + 1 }, (_, i) => pipeline.queues.task.getJob(`task-v${version}-${i}`)),
    )
  ).map((t) => ({
    start: t?.processedOn ?? Number.NaN,
    end: t?.finishedOn ?? Number.NaN,
    by: t?.processedBy ?? "",
  }));
  const byWorker = new Map<string, Array<{ start: number; end: number }>>();
  for (const t of tasks) byWorker.set(t.by, [...(byWorker.get(t.by) ?? []), t]);
  let rate = 0;
  /** After each process's first task: how long each task ran, and each wait before one began. */
  const runMs: number[] = [];
  const waitMs: number[] = [];
  for (const list of byWorker.values()) {
    list.sort((a, b) => a.start - b.start);
    const spanMs = (list.at(-1)?.end ?? 0) - (list[0]?.end ?? 0);
    if (list.length > 1 && spanMs > 0) rate += ((list.length - 1) / spanMs) * 1000;
    for (let i = 1; i < list.length; i++) {
      runMs.push(list[i]!.end - list[i]!.start);
      waitMs.push(list[i]!.start - list[i - 1]!.end);
    }
  }
  const synced = await pipeline.queues.sync.getJob(syncJob.id ?? "");
  const syncStart = synced?.processedOn ?? Number.NaN;
  const syncEnd = synced?.finishedOn ?? Number.NaN;
  const firstStart = Math.min(...tasks.map((t) => t.start));
  const lastEnd = Math.max(...tasks.map((t) => t.end));
  const parentStart = parent.processedOn ?? Number.NaN;
  const summary = tasks[0]!; // the plan's first task
  return {
    wallMs: finishedOn - t0,
    rate,
    bytes,
    bookBytes,
    phases: [
      ["queued → sync job started", syncStart - t0],
      ["sync job (book updated and stored, cycle queued)", syncEnd - syncStart],
      ["sync job done → first task started", firstStart - syncEnd],
      ["first task started → last task done", lastEnd - firstStart],
      ["  of which the summary task", summary.end - summary.start],
      ["  a curve point task, after a process's first (median)", median(runMs)],
      ["  a process's wait between two tasks (median)", median(waitMs)],
      ["last task done → parent started", parentStart - lastEnd],
      ["parent (results assembled and stored, evaluation queued)", finishedOn - parentStart],
    ],
  };
}

const syncPipeline = (prefix: string, mode: Mode) =>
  startDistributedPipeline({
    role: "sync",
    connection,
    prefix,
    engine,
    source: sourceOf(mode),
    settings,
    ...benchPipelineDeps(),
  });

try {
  for (const workers of alternatedOnly ? [] : WORKER_COUNTS)
    for (const mode of MODES) {
      const prefix = `${redis.prefix}-w${workers}-${mode}`;
      log(`cycle (distributed): ${workers} simulate worker process(es), ${modeLabel(mode)}`);
      await startWorkers(workers, prefix);
      const pipeline = await syncPipeline(prefix, mode);
      const cycles: CycleMeasure[] = [];
      for (let version = 1; version <= CYCLES; version++) {
        const cycle = await measureCycle(pipeline, prefix, version);
        if (version > 1) cycles.push(cycle); // the first cycle loads the book: not the steady state
      }
      await pipeline.close(10_000);
      await stopWorkers();
      const ms = median(cycles.map((c) => c.wallMs));
      const steady = median(cycles.map((c) => c.rate));
      throughput.set(key(mode, workers), (POINTS / ms) * 1000);
      steadyThroughput.set(key(mode, workers), steady);
      const label = `${workers} simulate process(es), ${modeLabel(mode)}`;
      const runs = cycles.length;
      emit({
        measure: `curve points per second, ${label}, cycle wall time`,
        value: (POINTS / ms) * 1000,
        unit: "per s",
        runs,
        note: `${POINTS}-point cycle in ${Math.round(ms)} ms, sync to results, after the first cycle`,
      });
      emit({
        measure: `curve points per second, ${label}, book loaded`,
        value: steady,
        unit: "per s",
        runs,
        note: "per process, after its first task of the cycle, summed",
      });
      for (const [i, [name]] of cycles[0]!.phases.entries())
        emit({
          measure: `cycle phase, ${label}: ${name}`,
          value: median(cycles.map((c) => c.phases[i]![1])),
          unit: "ms",
          runs,
        });
      emit({
        measure: `bytes Redis received per cycle, ${label}`,
        value: median(cycles.map((c) => c.bytes)),
        unit: "bytes",
        runs,
        note: "total_net_input_bytes over the cycle, job traffic and results included",
      });
      emit({
        measure: `bytes of the book stored per cycle, ${label}`,
        value: median(cycles.map((c) => c.bookBytes)),
        unit: "bytes",
        runs,
        note: "its keyframe and its changes, as stored in Redis",
      });
    }
  for (const mode of alternatedOnly ? [] : MODES)
    for (const [label, rates] of [
      ["cycle wall time", throughput],
      ["book loaded", steadyThroughput],
    ] as const) {
      const one = rates.get(key(mode, 1)) ?? Number.NaN;
      for (const workers of [2, 4] as const)
        emit({
          measure: `curve-point throughput, ${workers} processes / 1 process, ${modeLabel(mode)}, ${label}`,
          value: (rates.get(key(mode, workers)) ?? Number.NaN) / one,
          unit: "count",
          note: "runs minutes apart: the machine's speed moves between them (the alternated rows below do not)",
        });
    }

  // 1 and 2 workers cycle by cycle on the same two processes (one paused every other cycle, each
  // in turn), so a change in the machine's speed falls on both: the ratio the target is judged by.
  const prefix = `${redis.prefix}-alternated`;
  log(`cycle (distributed): 1 and 2 simulate worker processes alternated, ${ALTERNATED} cycles each`);
  const pair = await startWorkers(2, prefix);
  const pipeline = await syncPipeline(prefix, "changes");
  let version = 1;
  await measureCycle(pipeline, prefix, version++); // both load the keyframe
  const alternated: Record<1 | 2, CycleMeasure[]> = { 1: [], 2: [] };
  for (let k = 0; k < ALTERNATED; k++) {
    const paused = pair[k % 2]!;
    await paused.pause();
    alternated[1].push(await measureCycle(pipeline, prefix, version++));
    await paused.resume();
    alternated[2].push(await measureCycle(pipeline, prefix, version++));
  }
  await pipeline.close(10_000);
  await stopWorkers();
  for (const count of [1, 2] as const)
    for (const [i, [name]] of alternated[count][0]!.phases.entries())
      emit({
        measure: `cycle phase, alternated, ${count} process(es): ${name}`,
        value: median(alternated[count].map((c) => c.phases[i]![1])),
        unit: "ms",
        runs: ALTERNATED,
      });
  for (const [label, of] of [
    ["cycle wall time", (c: CycleMeasure) => (POINTS / c.wallMs) * 1000],
    ["book loaded", (c: CycleMeasure) => c.rate],
  ] as const) {
    const one = median(alternated[1].map(of));
    const two = median(alternated[2].map(of));
    emit({
      measure: `curve-point throughput, 2 processes / 1 process, ${modeLabel("changes")}, alternated cycle by cycle, ${label}`,
      value: two / one,
      unit: "count",
      runs: ALTERNATED,
      ...(label === "book loaded" ? { target: { min: 1.6 } } : {}),
      note: `${one.toFixed(2)} against ${two.toFixed(2)} points/s`,
    });
    if (label === "book loaded")
      emit({
        measure: "the same / the control without Redis",
        value: two / one / pointsControl,
        unit: "count",
        note: "1 when the pipeline scales as far as the machine lets the work itself",
      });
  }
} finally {
  for (const child of children) child.kill("SIGKILL");
  connection.disconnect();
  await redis.stop();
}
