/**
 * `cycleChild.ts POSITIONS SEED RUNS`: block-to-alert of the single-process monitor against one
 * simulation of the same book, side by side in one process, rows as JSON lines on stdout. Each
 * run hands the monitor a new block (100 more positions' debt moved by 0.2%); the cycle runs 5
 * scenarios, an 8-point WETH curve and the WETH critical-shock search, evaluates a rule that
 * fires, and delivers to a local webhook receiver: the time runs until the receiver has the
 * request. Two ways of taking the block, side by side: the monitor that keeps its compiled book
 * and applies the block's changes (the daemon's path), and one that is handed the whole
 * validated snapshot and compiles it (the path before; no parse counted). Each with the cycle's
 * tasks in the main thread and on 2 worker threads (which keep the book too and are sent the
 * block's changes, or compile the snapshot they are sent), runs alternated with single WETH -20%
 * simulations so machine noise falls on all of them. The control: two simulations at once on the
 * 2 threads against one, in the same run (what 2 threads can reach on the machine just then).
 */

import { createServer } from "node:http";
import { createMonitorMetrics } from "../src/adapters/metrics/monitorMetrics.js";
import { createWebhookSink } from "../src/adapters/sinks/webhookSink.js";
import { createMemoryResultStore } from "../src/adapters/store/memoryResultStore.js";
import { createCoreEngine } from "../src/app/daemon/coreEngine.js";
import {
  type CycleTaskRunner,
  inlineTaskRunner,
  threadPoolTaskRunner,
} from "../src/app/daemon/cycleTaskRunner.js";
import type { SyncedBook, SyncedSnapshot } from "../src/app/daemon/daemonPorts.js";
import { createHeldBook, type HeldBook } from "../src/app/daemon/heldBook.js";
import { createSingleProcessMonitor } from "../src/app/daemon/singleProcessMonitor.js";
import { parseSnapshot } from "../src/core/snapshot/parseSnapshot.js";
import type { PositionData } from "../src/core/snapshot/schema.js";
import type { Snapshot } from "../src/core/snapshot/snapshot.js";
import { headerOf } from "../src/core/snapshot/snapshotChanges.js";
import { benchCycleSettings } from "./benchCycleSettings.js";
import { generateBook } from "./generateBook.js";
import { median } from "./measure.js";

const [positionsText, seedText, runsText] = process.argv.slice(2);
const positions = Number(positionsText);
const seed = Number(seedText ?? "1");
const runs = Number(runsText ?? "3");
if (!Number.isSafeInteger(positions) || positions <= 0)
  throw new Error("usage: cycleChild.ts POSITIONS SEED RUNS");
const emit = (row: object) =>
  process.stdout.write(`${JSON.stringify({ suite: "cycle", positions, ...row })}\n`);
const log = (line: string) => process.stderr.write(`${line}\n`);
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

log(`cycle: generating a ${positions}-position book`);
const base = parseSnapshot(generateBook({ positions, seed }));
const TOUCHED = 100;

/** One chain of blocks from `base`: each block moves `TOUCHED` more positions' debt by 0.2%. */
function createChain() {
  const positions = base.positions.slice();
  const stride = Math.max(1, Math.floor(positions.length / TOUCHED));
  return {
    /** The next block: the whole snapshot after it, and the positions it changed. */
    advance(block: number): { snapshot: Snapshot; upserts: PositionData[] } {
      const upserts: PositionData[] = [];
      for (let k = 0; k < TOUCHED && k * stride < positions.length; k++) {
        const i = (k * stride + block) % positions.length;
        const p = positions[i]!;
        const moved = {
          ...p,
          debt: Object.fromEntries(Object.entries(p.debt).map(([a, v]) => [a, v * 1.002])),
        } as typeof p;
        positions[i] = moved;
        upserts.push(moved);
      }
      const source = { ...base.source, blocks: { "1": block } };
      return { snapshot: { ...base, source, positions: positions.slice() }, upserts };
    },
  };
}

const settings = benchCycleSettings();
// Threshold 0 on a fresh monitor per run: each run fires once and delivers once.
const rules = [
  {
    kind: "scenarioLiquidations" as const,
    name: "BenchRepaid",
    severity: "warning" as const,
    hysteresis: 0,
    scenario: "eth-20",
    thresholdUsd: 0,
  },
];

let received: (() => void) | undefined;
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(204).end();
    received?.();
  });
});
// Idle connections stay open: cycles of a big book are seconds apart, and a keep-alive socket the
// server closes just as the next delivery reuses it would lose that delivery (and hang the run).
server.keepAliveTimeout = 0;
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const address = server.address();
const port = typeof address === "object" && address !== null ? address.port : 0;

const engine = createCoreEngine();
/**
 * How a monitor takes its blocks: its own chain, the book it keeps (none: compiles each), and its
 * last cycle number (each run's monitor goes on from it, so threads that hold the book of the
 * previous cycle are sent the block's changes, as in the daemon).
 */
interface Path {
  readonly chain: ReturnType<typeof createChain>;
  readonly held?: HeldBook;
  version: number;
}

async function blockToAlert(runner: CycleTaskRunner, path: Path, block: number): Promise<number> {
  let blockAtMs = 0;
  const { snapshot, upserts } = path.chain.advance(block);
  const facts = { takenAtMs: Date.now(), heads: { "1": block } };
  const monitor = createSingleProcessMonitor({
    engine,
    source: {
      sync: async (): Promise<SyncedSnapshot> => {
        blockAtMs = performance.now();
        return { snapshot, blocks: { "1": block }, ...facts };
      },
      syncBook: async (_signal, whole): Promise<SyncedBook> => {
        blockAtMs = performance.now();
        // What the block changed: its positions, and the header (a new block number).
        return whole
          ? { kind: "document", document: snapshot, ...facts }
          : { kind: "changes", changes: { header: headerOf(snapshot), upserts }, ...facts };
      },
      close: async () => undefined,
    },
    store: createMemoryResultStore(),
    metrics: createMonitorMetrics({ processMetrics: false }),
    sinks: [createWebhookSink({ name: "bench", url: `http://127.0.0.1:${port}/`, timeoutMs: 60_000 })],
    settings: { ...settings, rules },
    logger: quiet,
    retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    startVersion: path.version,
    nowMs: Date.now,
    elapsedMs: () => performance.now(),
    taskRunner: runner,
    ...(path.held === undefined ? {} : { heldBook: path.held }),
  });
  const delivered = new Promise<number>((resolve) => {
    received = () => resolve(performance.now());
  });
  await monitor.runCycle(AbortSignal.timeout(600_000));
  path.version = monitor.version;
  const ms = (await delivered) - blockAtMs;
  await monitor.drain(10_000);
  return ms;
}

const book = engine.compile(base);
const main = inlineTaskRunner(engine, () => performance.now());
// A pool per monitor: its threads keep the book of that monitor's last cycle.
const pools = [threadPoolTaskRunner(2), threadPoolTaskRunner(2)] as const;
const variants = [
  { label: "held book, tasks in the main thread", runner: main, held: true },
  { label: "held book, tasks on 2 worker threads", runner: pools[0], held: true },
  { label: "full compile, tasks in the main thread", runner: main, held: false },
  { label: "full compile, tasks on 2 worker threads", runner: pools[1], held: false },
].map((v) => ({
  ...v,
  path: { chain: createChain(), version: 0, ...(v.held ? { held: createHeldBook() } : {}) } as Path,
  samples: [] as number[],
}));
const simulation: number[] = [];
/** Two WETH -20% simulations at once on the 2 threads of the held-book pool (which hold the book). */
const control: number[] = [];
const controlTasks = [0, 1].map((k) => ({
  kind: "scenario" as const,
  name: `control-${k}`,
  shock: { WETH: -0.2 },
  maxRounds: 50,
}));
const threaded = variants[1]!;
let report = engine.simulate(book, { WETH: -0.2 }, 50);
// One warm-up of each, not measured (JIT, thread start, the held book's first whole compile).
let block = 1;
for (const v of variants) await blockToAlert(v.runner, v.path, block++);
for (let run = 0; run < runs; run++) {
  log(`cycle: run ${run + 1} of ${runs}`);
  for (const v of variants) {
    const t0 = performance.now();
    report = engine.simulate(book, { WETH: -0.2 }, 50);
    simulation.push(performance.now() - t0);
    v.samples.push(await blockToAlert(v.runner, v.path, block++));
    if (v === threaded) {
      // The threads hold this cycle's book: nothing is sent but the two tasks.
      const t0 = performance.now();
      await v.runner.run(v.path.version, base, controlTasks);
      control.push(performance.now() - t0);
    }
  }
}
await Promise.all(pools.map((pool) => pool.close()));
server.closeAllConnections();
server.close();

const sim = median(simulation);
const big = positions >= 1_000_000;
emit({
  measure: "one WETH -20% simulation (same book)",
  value: sim,
  unit: "ms",
  runs: simulation.length,
  note: `${report.totals.liquidations} liquidations`,
});
emit({
  measure: "control: 2 simulations at once on 2 worker threads / one simulation",
  value: median(control) / sim,
  unit: "count",
  runs: control.length,
  note: "1 when the machine gives the 2 threads 2 free cores, 2 when it gives them one; same run",
});
const medians = new Map(variants.map((v) => [v.label, median(v.samples)] as const));
for (const v of variants) {
  const value = medians.get(v.label)!;
  emit({ measure: `block-to-alert, ${v.label}`, value, unit: "ms", runs: v.samples.length });
  emit({
    measure: `block-to-alert / one simulation, ${v.label}`,
    value: value / sim,
    unit: "count",
    ...(big && v.held ? { target: { max: 4 } } : {}),
    note: `new block (100 positions), ${v.held ? "changes applied to the held book" : "whole snapshot compiled"}, 5 scenarios, 8-point curve, critical shock, webhook`,
  });
}
for (const where of ["in the main thread", "on 2 worker threads"])
  emit({
    measure: `block-to-alert held book / full compile, tasks ${where}`,
    value: medians.get(`held book, tasks ${where}`)! / medians.get(`full compile, tasks ${where}`)!,
    unit: "count",
    note: "same run, alternated",
  });
