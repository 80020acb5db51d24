/**
 * The engine measurements on one book file, meant to run in a fresh process (`engineChild.ts`)
 * so that heap and peak RSS figures belong to this book alone: load (JSON.parse →
 * parseSnapshot → compileBook, from the book's JSON text), the memory the loaded snapshot and
 * book hold, one simulation of a 20% WETH drop, a 51-point WETH liquidation curve (0 to -50% by
 * 1%), and the collateral graph.
 */
import { readFileSync } from "node:fs";
import { compileBook } from "../src/core/book/compileBook.js";
import { liquidationCurve, shockGrid } from "../src/core/curve/liquidationCurve.js";
import { buildCollateralGraph } from "../src/core/graph/buildCollateralGraph.js";
import { createCascadeWorkspace } from "../src/core/propagator/runCascade.js";
import { simulate } from "../src/core/propagator/simulate.js";
import { parseSnapshot } from "../src/core/snapshot/parseSnapshot.js";
import type { BenchRow } from "./benchSuite.js";
import { collectGarbage, median, memoryMb, timeRuns } from "./measure.js";

const ONE_MILLION = 1_000_000;
const SHOCK = { WETH: -0.2 };

/** Measures the engine on the book in `bookFile` (`positions` positions) as a daemon would load it. */
export async function measureEngine(
  bookFile: string,
  positions: number,
  runs: number,
  emit: (row: BenchRow) => void,
  log: (line: string) => void,
): Promise<void> {
  const big = positions >= ONE_MILLION;
  log(`engine: ${positions} positions`);
  const text = readFileSync(bookFile, "utf8");
  collectGarbage();
  const baselineHeapMb = memoryMb().heapUsedMb;

  const parseMs: number[] = [];
  const validateMs: number[] = [];
  const compileMs: number[] = [];
  const totalMs: number[] = [];
  let book: ReturnType<typeof compileBook> | undefined;
  let snapshot: ReturnType<typeof parseSnapshot> | undefined;
  for (let run = 0; run < runs; run++) {
    book = undefined;
    snapshot = undefined;
    collectGarbage();
    const t0 = performance.now();
    const document: unknown = JSON.parse(text);
    const t1 = performance.now();
    snapshot = parseSnapshot(document);
    const t2 = performance.now();
    book = compileBook(snapshot);
    const t3 = performance.now();
    parseMs.push(t1 - t0);
    validateMs.push(t2 - t1);
    compileMs.push(t3 - t2);
    totalMs.push(t3 - t0);
  }
  if (book === undefined || snapshot === undefined) throw new Error("no run");
  const row = { suite: "engine", positions, runs, unit: "ms" } as const;
  emit({ ...row, measure: "load: JSON.parse", value: median(parseMs) });
  emit({ ...row, measure: "load: parseSnapshot", value: median(validateMs) });
  emit({ ...row, measure: "load: compileBook", value: median(compileMs) });
  emit({ ...row, measure: "load: total", value: median(totalMs) });
  const peakAfterLoadMb = memoryMb().peakRssMb;
  collectGarbage();
  // The last run's document is garbage now; the snapshot and the book are what a daemon keeps.
  emit({
    suite: "engine",
    positions,
    measure: "memory held (snapshot + book)",
    value: memoryMb().heapUsedMb - baselineHeapMb,
    unit: "MB",
    note: "heap + typed arrays after GC",
  });
  emit({
    suite: "engine",
    positions,
    measure: "peak RSS (process)",
    value: peakAfterLoadMb,
    unit: "MB",
    ...(big ? { target: { max: 2048 } } : {}),
    note: "fresh process: JSON text + document + snapshot + book",
  });

  const loaded = book;
  // As the monitor runs it: one set of per-run arrays per book, reused by every scenario.
  const workspace = createCascadeWorkspace(loaded);
  const simulation = await timeRuns(runs, () => simulate(loaded, SHOCK, { workspace }));
  const report = simulation.last;
  emit({
    ...row,
    runs: simulation.runs,
    measure: "simulate WETH -20%",
    value: simulation.medianMs,
    ...(big ? { target: { max: 500 } } : {}),
    note: `${report.rounds.length} rounds, ${report.totals.liquidations} liquidations, amplification ${(report.amplification.WETH ?? Number.NaN).toFixed(2)}`,
  });
  // A one-shot call (the CLI): the per-run arrays are allocated each time.
  const fresh = await timeRuns(runs, () => simulate(loaded, SHOCK));
  emit({
    ...row,
    runs: fresh.runs,
    measure: "simulate WETH -20%, arrays allocated per run",
    value: fresh.medianMs,
  });

  const shocks = shockGrid(0, -0.5, -0.01);
  const curveRuns = Math.min(runs, big ? 1 : 3);
  const curve = await timeRuns(curveRuns, () => liquidationCurve(loaded, "WETH", shocks));
  const worst = curve.last[curve.last.length - 1];
  emit({
    ...row,
    runs: curve.runs,
    measure: "curve WETH 0..-50% (51 points)",
    value: curve.medianMs,
    ...(big ? { target: { max: 15_000 } } : {}),
    note: `at -50%: ${((worst?.totalRepaidUsd ?? 0) / 1e9).toFixed(2)} B$ repaid`,
  });

  const held = snapshot;
  const graph = await timeRuns(runs, () => buildCollateralGraph(held));
  emit({ ...row, runs: graph.runs, measure: "collateral graph", value: graph.medianMs });
}
