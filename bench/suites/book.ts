/** Suite `book`: how fast the benchmark book is generated and how big its JSON is. */
import type { BenchSuite } from "../benchSuite.js";
import { generateBook } from "../generateBook.js";
import { MB, timeRuns } from "../measure.js";

export const bookSuite: BenchSuite = {
  name: "book",
  description: "generate the seeded benchmark book and serialise it",
  async run(context, emit) {
    for (const positions of context.sizes) {
      context.log(`book: ${positions} positions`);
      const runs = context.runsFor(positions);
      const generate = await timeRuns(runs, () => generateBook({ positions, seed: context.seed }));
      emit({ suite: "book", positions, measure: "generate", value: generate.medianMs, unit: "ms", runs });
      const stringify = await timeRuns(runs, () => JSON.stringify(generate.last));
      emit({
        suite: "book",
        positions,
        measure: "JSON.stringify",
        value: stringify.medianMs,
        unit: "ms",
        runs,
      });
      emit({ suite: "book", positions, measure: "JSON size", value: stringify.last.length / MB, unit: "MB" });
    }
  },
};
