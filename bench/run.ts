/**
 * `npm run bench [-- --only engine,book] [--sizes 10000,100000] [--seed 1] [--runs N] [--json]`
 * Runs the benchmark suites and prints one Markdown table on stdout (progress on stderr); with
 * `--json`, the same rows as one JSON document `{"rows": [...]}` instead, for machines.
 * `BENCH_SIZES=10000,100000` limits sizes like `--sizes`.
 */
import { parseArgs } from "node:util";
import type { BenchContext, BenchRow } from "./benchSuite.js";
import { renderTable } from "./renderTable.js";
import { SUITES } from "./suites/index.js";

const DEFAULT_SIZES = [10_000, 100_000, 1_000_000];

function parseSizes(text: string): number[] {
  const sizes = text.split(",").map((part) => Number(part.trim().replace(/_/g, "")));
  const bad = sizes.find((n) => !Number.isInteger(n) || n <= 0);
  if (bad !== undefined) throw new Error(`--sizes: "${text}" must be positive integers separated by commas`);
  return sizes.sort((a, b) => a - b);
}

/** Median of several runs on small books, fewer on big ones (a 1M-position run takes seconds). */
function defaultRunsFor(positions: number): number {
  if (positions >= 1_000_000) return 3;
  if (positions >= 100_000) return 5;
  return 7;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: "string" },
      sizes: { type: "string" },
      seed: { type: "string", default: "1" },
      runs: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help === true) {
    process.stdout.write(
      [
        "usage: npm run bench -- [--only SUITE[,SUITE]] [--sizes N[,N]] [--seed N] [--runs N] [--json]",
        "suites:",
        ...SUITES.map((s) => `  ${s.name.padEnd(10)} ${s.description}`),
        "env: BENCH_SIZES=10000,100000 (same as --sizes)",
        "",
      ].join("\n"),
    );
    return;
  }
  const only = values.only?.split(",").map((s) => s.trim());
  const unknown = only?.filter((name) => !SUITES.some((s) => s.name === name)) ?? [];
  if (unknown.length > 0) {
    throw new Error(
      `--only: unknown suite ${unknown.join(", ")}; known: ${SUITES.map((s) => s.name).join(", ")}`,
    );
  }
  const sizesText = values.sizes ?? process.env.BENCH_SIZES;
  const runs = values.runs === undefined ? undefined : Number(values.runs);
  if (runs !== undefined && !(Number.isInteger(runs) && runs > 0))
    throw new Error("--runs must be a positive integer");
  const context: BenchContext = {
    sizes: sizesText === undefined ? DEFAULT_SIZES : parseSizes(sizesText),
    seed: Number(values.seed),
    runsFor: (positions) => runs ?? defaultRunsFor(positions),
    log: (line) => process.stderr.write(`${line}\n`),
  };
  const rows: BenchRow[] = [];
  for (const suite of SUITES.filter((s) => only === undefined || only.includes(s.name))) {
    await suite.run(context, (row) => {
      rows.push(row);
      context.log(
        `  ${row.measure}${row.positions === undefined ? "" : ` @${row.positions}`}: ${row.value.toFixed(1)} ${row.unit}`,
      );
    });
  }
  if (values.json === true) process.stdout.write(`${JSON.stringify({ rows }, null, 2)}\n`);
  else process.stdout.write(`${renderTable(rows)}\n`);
  const missed = rows.filter((r) =>
    r.target === undefined ? false : "max" in r.target ? r.value > r.target.max : r.value < r.target.min,
  );
  if (missed.length > 0) process.stderr.write(`${missed.length} target(s) missed\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
