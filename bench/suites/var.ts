/**
 * Suite `var`: Monte Carlo VaR throughput (see `varChild.ts`): 10,000 paths of the 100k book and
 * 1,000 paths of the 1M book (1,000 paths for smaller books), each book written to a file and
 * measured in a fresh process. `BENCH_VAR_PATHS` overrides the path count.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchSuite } from "../benchSuite.js";
import { runInChild } from "../runInChild.js";

const WRITE_BOOK = fileURLToPath(new URL("../writeBook.ts", import.meta.url));
const MEASURE = fileURLToPath(new URL("../varChild.ts", import.meta.url));

const pathsFor = (positions: number): number =>
  Number(process.env.BENCH_VAR_PATHS ?? (positions === 100_000 ? 10_000 : 1000));

export const varSuite: BenchSuite = {
  name: "var",
  description:
    "Monte Carlo VaR: single-simulation rate, in-thread overhead, paths per second on 2 worker threads",
  async run(context, emit) {
    const dir = mkdtempSync(join(tmpdir(), "cascade-bench-var-"));
    try {
      for (const positions of context.sizes.filter((n) => n >= 100_000)) {
        const file = join(dir, `book-${positions}.json`);
        context.log(`var: writing a ${positions}-position book`);
        await runInChild(
          WRITE_BOOK,
          ["--positions", String(positions), "--seed", String(context.seed), "--out", file],
          emit,
        );
        context.log(`var: ${pathsFor(positions)} paths`);
        await runInChild(MEASURE, [file, String(positions), String(pathsFor(positions))], emit);
        rmSync(file, { force: true });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
