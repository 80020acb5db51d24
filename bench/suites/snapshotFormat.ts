/**
 * Suite `snapshot-format`: the Arrow snapshot against the JSON one, file size and load to the
 * compiled book and to a validated snapshot, in one process (ratios; see `measureSnapshotFormats.ts`).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchSuite } from "../benchSuite.js";
import { runInChild } from "../runInChild.js";

const WRITE_BOOK = fileURLToPath(new URL("../writeBook.ts", import.meta.url));
const MEASURE = fileURLToPath(new URL("../snapshotFormatChild.ts", import.meta.url));

export const snapshotFormatSuite: BenchSuite = {
  name: "snapshot-format",
  description:
    "Arrow vs JSON snapshot: file size, load to the compiled book and to a validated snapshot (ratios)",
  async run(context, emit) {
    const dir = mkdtempSync(join(tmpdir(), "cascade-bench-format-"));
    try {
      for (const positions of context.sizes) {
        const json = join(dir, `v2-${positions}.json`);
        const arrow = join(dir, `v2-${positions}.arrow`);
        context.log(`snapshot-format: writing a ${positions}-position v2 book`);
        await runInChild(
          WRITE_BOOK,
          ["--positions", String(positions), "--seed", String(context.seed), "--model", "v2", "--out", json],
          emit,
        );
        await runInChild(MEASURE, [json, arrow, String(positions), String(context.runsFor(positions))], emit);
        rmSync(json, { force: true });
        rmSync(arrow, { force: true });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
