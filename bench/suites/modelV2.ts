/**
 * Suite `model-v2`: one 20% WETH simulation of a v1 book and of the same positions as a v2
 * book, alternated in one process, their ratio, and the 51-point curve of the v2 book
 * (see `measureModelV2.ts`).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchSuite } from "../benchSuite.js";
import { runInChild } from "../runInChild.js";

const WRITE_BOOK = fileURLToPath(new URL("../writeBook.ts", import.meta.url));
const MEASURE = fileURLToPath(new URL("../modelV2Child.ts", import.meta.url));

export const modelV2Suite: BenchSuite = {
  name: "model-v2",
  description: "v2 vs v1 simulation of the same positions (ratio), 51-point curve of the v2 book",
  async run(context, emit) {
    const dir = mkdtempSync(join(tmpdir(), "cascade-bench-v2-"));
    try {
      for (const positions of context.sizes) {
        const v1 = join(dir, `v1-${positions}.json`);
        const v2 = join(dir, `v2-${positions}.json`);
        const common = ["--positions", String(positions), "--seed", String(context.seed)];
        context.log(`model-v2: writing ${positions}-position v1 and v2 books`);
        await runInChild(WRITE_BOOK, [...common, "--out", v1], emit);
        await runInChild(WRITE_BOOK, [...common, "--model", "v1-as-v2", "--out", v2], emit);
        await runInChild(MEASURE, [v1, v2, String(positions), String(context.runsFor(positions))], emit);
        rmSync(v1, { force: true });
        rmSync(v2, { force: true });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
