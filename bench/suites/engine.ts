/**
 * Suite `engine`: load, memory, a 20% WETH simulation, a 51-point curve and the collateral graph
 * (see `measureEngine.ts`). Each book is written to a temporary file by one process and measured
 * by another, so the generator's memory is not counted in the load's peak RSS.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchSuite } from "../benchSuite.js";
import { runInChild } from "../runInChild.js";

const WRITE_BOOK = fileURLToPath(new URL("../writeBook.ts", import.meta.url));
const MEASURE = fileURLToPath(new URL("../engineChild.ts", import.meta.url));

export const engineSuite: BenchSuite = {
  name: "engine",
  description: "load a snapshot, memory, simulate a 20% WETH drop, 51-point curve, collateral graph",
  async run(context, emit) {
    const dir = mkdtempSync(join(tmpdir(), "cascade-bench-"));
    try {
      for (const positions of context.sizes) {
        const file = join(dir, `book-${positions}.json`);
        context.log(`engine: writing a ${positions}-position book`);
        await runInChild(
          WRITE_BOOK,
          ["--positions", String(positions), "--seed", String(context.seed), "--out", file],
          emit,
        );
        await runInChild(MEASURE, [file, String(positions), String(context.runsFor(positions))], emit);
        rmSync(file, { force: true });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
