/**
 * Suite `incremental`: one block's changes applied to the compiled book against a full
 * `parseSnapshot + compileBook` of the same book, in one process (ratios), and the peak RSS of a
 * process holding the book (see `measureIncremental.ts`).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchSuite } from "../benchSuite.js";
import { runInChild } from "../runInChild.js";

const WRITE_BOOK = fileURLToPath(new URL("../writeBook.ts", import.meta.url));
const MEASURE = fileURLToPath(new URL("../incrementalChild.ts", import.meta.url));
/** Positions one block touches (changed, opened, closed). */
const TOUCHED = 100;

export const incrementalSuite: BenchSuite = {
  name: "incremental",
  description: `a block touching ${TOUCHED} positions applied to the book vs parse + compile (ratio), RSS`,
  async run(context, emit) {
    const dir = mkdtempSync(join(tmpdir(), "cascade-bench-incremental-"));
    try {
      for (const positions of context.sizes) {
        const book = join(dir, `v2-${positions}.json`);
        context.log(`incremental: writing a ${positions}-position v2 book`);
        await runInChild(
          WRITE_BOOK,
          ["--positions", String(positions), "--seed", String(context.seed), "--model", "v2", "--out", book],
          emit,
        );
        const runs = Math.max(5, context.runsFor(positions));
        await runInChild(MEASURE, [book, String(positions), String(runs), String(TOUCHED)], emit);
        rmSync(book, { force: true });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
