/**
 * The Arrow snapshot against the JSON one, side by side in one process: file sizes, and loading
 * each file to a validated snapshot (JSON: read text, JSON.parse, parseSnapshot; Arrow: read
 * bytes, readArrowSnapshot), runs alternating between the two. Ratios of the medians count.
 */
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { readArrowSnapshot } from "../src/adapters/snapshot/decodeArrowSnapshot.js";
import { encodeArrowSnapshot, type SnapshotDocument } from "../src/adapters/snapshot/encodeArrowSnapshot.js";
import { parseSnapshot } from "../src/core/snapshot/parseSnapshot.js";
import type { BenchRow } from "./benchSuite.js";
import { collectGarbage, MB, median } from "./measure.js";

/** The targets: the Arrow file loads at least 5x faster and is at least 3x smaller. */
const MIN_LOAD_SPEEDUP = 5;
const MIN_SIZE_RATIO = 3;

function writeArrowFile(jsonFile: string, arrowFile: string): number {
  const start = performance.now();
  const document = JSON.parse(readFileSync(jsonFile, "utf8")) as SnapshotDocument;
  writeFileSync(arrowFile, encodeArrowSnapshot(document));
  return performance.now() - start;
}

export function measureSnapshotFormats(
  jsonFile: string,
  arrowFile: string,
  positions: number,
  runs: number,
  emit: (row: BenchRow) => void,
  log: (line: string) => void,
): void {
  log(`snapshot formats: ${positions} positions, JSON vs Arrow`);
  // Encoded in a function of its own: the decoded document is garbage before the loads are timed.
  const encodeMs = writeArrowFile(jsonFile, arrowFile);
  let start: number;
  const jsonBytes = statSync(jsonFile).size;
  const arrowBytes = statSync(arrowFile).size;
  const row = { suite: "snapshot-format", positions } as const;
  emit({ ...row, measure: "JSON file", value: jsonBytes / MB, unit: "MB" });
  emit({
    ...row,
    measure: "Arrow file",
    value: arrowBytes / MB,
    unit: "MB",
    note: `encoded in ${Math.round(encodeMs)} ms`,
  });
  emit({
    ...row,
    measure: "size JSON / Arrow",
    value: jsonBytes / arrowBytes,
    unit: "count",
    target: { min: MIN_SIZE_RATIO },
  });
  const jsonTimes: number[] = [];
  const arrowTimes: number[] = [];
  for (let run = 0; run < Math.max(3, runs); run++) {
    collectGarbage();
    start = performance.now();
    const fromJson = parseSnapshot(JSON.parse(readFileSync(jsonFile, "utf8")));
    jsonTimes.push(performance.now() - start);
    if (fromJson.positions.length !== positions) throw new Error("the JSON load lost positions");
    collectGarbage();
    start = performance.now();
    const fromArrow = readArrowSnapshot(readFileSync(arrowFile));
    arrowTimes.push(performance.now() - start);
    if (fromArrow.positions.length !== positions) throw new Error("the Arrow load lost positions");
  }
  const jsonMs = median(jsonTimes);
  const arrowMs = median(arrowTimes);
  const timed = { ...row, runs: jsonTimes.length } as const;
  emit({ ...timed, measure: "load JSON (read, JSON.parse, parseSnapshot)", value: jsonMs, unit: "ms" });
  emit({ ...timed, measure: "load Arrow (read, readArrowSnapshot)", value: arrowMs, unit: "ms" });
  emit({
    ...timed,
    measure: "load JSON / load Arrow",
    value: jsonMs / arrowMs,
    unit: "count",
    target: { min: MIN_LOAD_SPEEDUP },
  });
}
