/**
 * Suite `cycle`: block-to-alert of the single-process monitor as a ratio to one simulation of the
 * same book, measured side by side in a fresh process per book size (`cycleChild.ts`), with the
 * cycle's tasks in the main thread and on 2 worker threads; the resident memory of that monitor
 * holding the book, either way (`daemonMemoryChild.ts`, a fresh process each); then
 * (`distributedChild.ts`) the same kind of cycle on 1, 2 and 4 simulate worker processes sharing
 * one Redis.
 */
import { fileURLToPath } from "node:url";
import type { BenchSuite } from "../benchSuite.js";
import { runInChild } from "../runInChild.js";

const SINGLE = fileURLToPath(new URL("../cycleChild.ts", import.meta.url));
const MEMORY = fileURLToPath(new URL("../daemonMemoryChild.ts", import.meta.url));
const DISTRIBUTED = fileURLToPath(new URL("../distributedChild.ts", import.meta.url));

export const cycleSuite: BenchSuite = {
  name: "cycle",
  description:
    "block-to-alert / one simulation (main thread, 2 threads); memory holding the book; curve points per second on 1, 2, 4 worker processes",
  async run(context, emit) {
    for (const positions of context.sizes.filter((n) => n >= 100_000)) {
      const runs = Math.min(context.runsFor(positions), 5);
      await runInChild(SINGLE, [String(positions), String(context.seed), String(runs)], emit);
      for (const threads of [1, 2])
        await runInChild(MEMORY, [String(positions), String(context.seed), String(threads)], emit);
      await runInChild(DISTRIBUTED, [String(positions), String(context.seed)], emit);
    }
  },
};
