/**
 * `varChild.ts BOOK_FILE POSITIONS PATHS`: Monte Carlo VaR throughput on one book, rows as JSON
 * lines on stdout. Side by side in one process: plain `simulate` calls on the first shocks of
 * the run (the single-simulation rate), the same shocks through the VaR path runner in this
 * thread (sampling and aggregation included: its ratio to the plain calls is the overhead), and
 * every path on a pool of 2 worker threads (paths per second on 2 cores).
 */

import { loadSnapshotFile } from "../src/app/loadSnapshotFile.js";
import { createPathPool } from "../src/app/risk/pathPool.js";
import { runValueAtRisk } from "../src/app/risk/runValueAtRisk.js";
import { compileBook } from "../src/core/book/compileBook.js";
import { createCascadeWorkspace } from "../src/core/propagator/runCascade.js";
import { simulate } from "../src/core/propagator/simulate.js";
import { buildReturnModel } from "../src/core/risk/buildReturnModel.js";
import { shockOfPath } from "../src/core/risk/drawShockPaths.js";
import { simulatePaths } from "../src/core/risk/simulatePaths.js";
import { aggregateValueAtRisk, valueAtRiskPaths } from "../src/core/risk/valueAtRisk.js";

const [bookFile, positionsText, pathsText] = process.argv.slice(2);
if (bookFile === undefined || positionsText === undefined || pathsText === undefined)
  throw new Error("usage: varChild.ts BOOK_FILE POSITIONS PATHS");
const positions = Number(positionsText);
const pathCount = Number(pathsText);
const emit = (row: object) =>
  process.stdout.write(`${JSON.stringify({ suite: "var", positions, ...row })}\n`);

const snapshot = await loadSnapshotFile(bookFile);
const book = compileBook(snapshot);
const run = { model: buildReturnModel(snapshot), horizonHours: 24, pathCount, seed: 1 };
const paths = valueAtRiskPaths(run);
const sample = Math.min(pathCount, positions >= 1_000_000 ? 100 : 500);
const workspace = createCascadeWorkspace(book);

let t0 = performance.now();
for (let k = 0; k < sample; k++) simulate(book, shockOfPath(paths, k), { workspace });
const plainMs = performance.now() - t0;
t0 = performance.now();
const outcomes = simulatePaths(book, { ...paths, count: sample }, 0, sample, { workspace });
aggregateValueAtRisk(run, { ...paths, count: sample }, outcomes);
const varMs = performance.now() - t0;
const singlePerSecond = (sample / plainMs) * 1000;
const varPerSecond = (sample / varMs) * 1000;
emit({ measure: `single simulate of a VaR shock (${sample} shocks)`, value: singlePerSecond, unit: "per s" });
emit({
  measure: "VaR paths in one thread, sampling and aggregation included",
  value: varPerSecond,
  unit: "per s",
  note: `${((1 - varPerSecond / singlePerSecond) * 100).toFixed(1)}% overhead over plain simulate`,
});
emit({
  measure: "VaR in one thread / single simulate",
  value: varPerSecond / singlePerSecond,
  unit: "count",
  target: { min: 0.9 },
});

const pool = createPathPool(2);
t0 = performance.now();
const source = { kind: "file" as const, path: bookFile, overrides: [], key: bookFile };
await runValueAtRisk(source, { ...run, pathCount: 1 }, pool); // threads load the book once
const loadMs = performance.now() - t0;
t0 = performance.now();
const report = await runValueAtRisk(source, run, pool);
const poolMs = performance.now() - t0;
await pool.close();
const poolPerSecond = (pathCount / poolMs) * 1000;
emit({
  measure: `VaR ${pathCount} paths on 2 worker threads`,
  value: poolMs,
  unit: "ms",
  runs: 1,
  note: `book load in the threads ${(loadMs / 1000).toFixed(1)} s; p99 liquidated $${(report.liquidatedDebtUsd.p99 / 1e6).toFixed(1)}M`,
});
emit({ measure: "VaR paths per second, 2 threads", value: poolPerSecond, unit: "per s" });
emit({
  measure: "2-thread VaR / single simulate",
  value: poolPerSecond / singlePerSecond,
  unit: "count",
  note: "2 would be a perfect split over 2 cores",
});
