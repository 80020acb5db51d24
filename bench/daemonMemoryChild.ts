/**
 * `daemonMemoryChild.ts POSITIONS SEED THREADS`: the memory of the single-process monitor holding
 * a book, rows as JSON lines on stdout. The monitor keeps its compiled book (`heldBook`) and runs
 * the bench cycle (5 scenarios, an 8-point WETH curve, the WETH critical-shock search) on
 * `THREADS` worker threads (1: the main thread), each thread holding its own copy of the book.
 * Its first cycle takes the whole document, then `BLOCKS` blocks of 100 positions' balances moved.
 * The generated document stays alive throughout, standing in for what the indexers hold of the
 * chain. Reported: the process's resident memory after each cycle (its threads included; the
 * largest), and its peak since it started, book generation included (an upper bound).
 */
import { createMonitorMetrics } from "../src/adapters/metrics/monitorMetrics.js";
import { createMemoryResultStore } from "../src/adapters/store/memoryResultStore.js";
import { createCoreEngine } from "../src/app/daemon/coreEngine.js";
import { inlineTaskRunner, threadPoolTaskRunner } from "../src/app/daemon/cycleTaskRunner.js";
import type { SyncedBook } from "../src/app/daemon/daemonPorts.js";
import { createHeldBook } from "../src/app/daemon/heldBook.js";
import { createSingleProcessMonitor } from "../src/app/daemon/singleProcessMonitor.js";
import { createPrng } from "../src/core/random/createPrng.js";
import { parseSnapshot } from "../src/core/snapshot/parseSnapshot.js";
import { headerOf, type SnapshotChanges } from "../src/core/snapshot/snapshotChanges.js";
import { randomBalanceMoves } from "../test/helpers/randomBalanceMoves.js";
import { benchCycleSettings } from "./benchCycleSettings.js";
import { generateBook } from "./generateBook.js";
import { memoryMb } from "./measure.js";

const BLOCKS = 4;
const TOUCHED = 100;

const [positionsText, seedText, threadsText] = process.argv.slice(2);
const positions = Number(positionsText);
const seed = Number(seedText ?? "1");
const threads = Number(threadsText ?? "2");
if (!Number.isSafeInteger(positions) || positions <= 0 || !Number.isSafeInteger(threads) || threads < 1)
  throw new Error("usage: daemonMemoryChild.ts POSITIONS SEED THREADS");
const emit = (row: object) =>
  process.stdout.write(`${JSON.stringify({ suite: "cycle", positions, ...row })}\n`);
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

const document = generateBook({ positions, seed });
// The blocks are drawn before the monitor starts, from a parse that is then let go.
const blocks: SnapshotChanges[] = (() => {
  const snapshot = parseSnapshot(structuredClone(document));
  const prng = createPrng(seed);
  return Array.from({ length: BLOCKS }, () => ({
    header: headerOf(snapshot),
    ...randomBalanceMoves(prng, snapshot, { touched: TOUCHED, zeroChance: 0 }),
  }));
})();

const engine = createCoreEngine();
const runner =
  threads === 1 ? inlineTaskRunner(engine, () => performance.now()) : threadPoolTaskRunner(threads);
let next = 0;
const monitor = createSingleProcessMonitor({
  engine,
  source: {
    sync: async () => {
      throw new Error("daemonMemoryChild: the held book asks for documents and changes only");
    },
    syncBook: async (_signal, whole): Promise<SyncedBook> => {
      const facts = { takenAtMs: Date.now(), heads: { "1": next } };
      const block = next++;
      return whole || block === 0
        ? { kind: "document", document, ...facts }
        : { kind: "changes", changes: blocks[(block - 1) % BLOCKS]!, ...facts };
    },
    close: async () => undefined,
  },
  store: createMemoryResultStore(),
  metrics: createMonitorMetrics({ processMetrics: false }),
  sinks: [],
  settings: benchCycleSettings(),
  logger: quiet,
  retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
  startVersion: 0,
  nowMs: Date.now,
  elapsedMs: () => performance.now(),
  taskRunner: runner,
  heldBook: createHeldBook(),
});
const steady: number[] = [];
for (let cycle = 0; cycle <= BLOCKS; cycle++) {
  await monitor.runCycle(AbortSignal.timeout(600_000));
  steady.push(memoryMb().rssMb);
}
await monitor.drain(10_000);
await runner.close();
const where = threads === 1 ? "the main thread" : `${threads} worker threads`;
emit({
  measure: `resident memory of the monitor holding the book, cycle on ${where}, largest after a cycle`,
  value: Math.max(...steady),
  unit: "MB",
  runs: steady.length,
  ...(positions >= 1_000_000 ? { target: { max: 1536 } } : {}),
  note: "the generated document kept alive for the indexers' state; threads' books included",
});
emit({
  measure: `peak resident memory since the start, cycle on ${where}`,
  value: memoryMb().peakRssMb,
  unit: "MB",
  note: "book generation and the first compile included",
});
