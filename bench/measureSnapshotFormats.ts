/**
 * The Arrow snapshot against the JSON one, side by side in one process: file sizes, and loading
 * each file to the compiled book the engine runs on (JSON: read text, JSON.parse, parseSnapshot,
 * compileBook; Arrow: read bytes, readArrowBook) and to a validated snapshot of position objects
 * (parseSnapshot; readArrowSnapshot), runs alternating between the four; then the same for the
 * book in report order, as `snapshot` writes it. Ratios of the medians count. The Arrow writer
 * puts rows in book order either way (a generated document's own order goes in `document_index`).
 */
import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { readArrowBook, readArrowSnapshot } from "../src/adapters/snapshot/decodeArrowSnapshot.js";
import { encodeArrowSnapshot, type SnapshotDocument } from "../src/adapters/snapshot/encodeArrowSnapshot.js";
import { compileBook } from "../src/core/book/compileBook.js";
import { parseSnapshot } from "../src/core/snapshot/parseSnapshot.js";
import type { BenchRow } from "./benchSuite.js";
import { collectGarbage, MB, median } from "./measure.js";

/** The targets: the Arrow file loads (to the book) at least 5x faster and is at least 3x smaller. */
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
    note: "rows in book order, with a document_index column (4 bytes a row) for the document's own order",
  });
  measureLoads(jsonFile, arrowFile, positions, runs, emit, "");
  // The same book in report order (market id, then account), the order `snapshot` writes: the
  // compile then reads positions in sequence instead of sorting and gathering them.
  log(`snapshot formats: ${positions} positions in report order`);
  const sortedJson = `${jsonFile.replace(/\.json$/, "")}-report-order.json`;
  const sortedArrow = `${arrowFile.replace(/\.arrow$/, "")}-report-order.arrow`;
  writeInReportOrder(jsonFile, sortedJson, sortedArrow);
  try {
    const sortedJsonBytes = statSync(sortedJson).size;
    const sortedArrowBytes = statSync(sortedArrow).size;
    emit({ ...row, measure: "Arrow file, report order", value: sortedArrowBytes / MB, unit: "MB" });
    emit({
      ...row,
      measure: "size JSON / Arrow, report order",
      value: sortedJsonBytes / sortedArrowBytes,
      unit: "count",
      target: { min: MIN_SIZE_RATIO },
      note: "no document_index column: the rows are the document's order",
    });
    measureLoads(sortedJson, sortedArrow, positions, runs, emit, ", report order");
  } finally {
    rmSync(sortedJson, { force: true });
    rmSync(sortedArrow, { force: true });
  }
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function writeInReportOrder(jsonFile: string, sortedJson: string, sortedArrow: string): void {
  const document = JSON.parse(readFileSync(jsonFile, "utf8")) as SnapshotDocument;
  const positions = [...document.positions].sort(
    (a, b) => byString(a.market, b.market) || byString(a.account, b.account),
  );
  const sorted = { ...document, positions };
  writeFileSync(sortedJson, `${JSON.stringify(sorted)}\n`);
  writeFileSync(sortedArrow, encodeArrowSnapshot(sorted));
}

function measureLoads(
  jsonFile: string,
  arrowFile: string,
  positions: number,
  runs: number,
  emit: (row: BenchRow) => void,
  order: string,
): void {
  const row = { suite: "snapshot-format", positions } as const;
  // Four loads per run, alternating: each file to a validated snapshot (position objects), and
  // each file to the compiled book a command simulates on (what `simulate --snapshot` does).
  const times = {
    jsonSnapshot: [] as number[],
    arrowSnapshot: [] as number[],
    jsonBook: [] as number[],
    arrowBook: [] as number[],
  };
  const timed = (into: number[], load: () => number): void => {
    collectGarbage();
    const start = performance.now();
    const count = load();
    into.push(performance.now() - start);
    if (count !== positions) throw new Error("a load lost positions");
  };
  for (let run = 0; run < Math.max(3, runs); run++) {
    timed(
      times.jsonSnapshot,
      () => parseSnapshot(JSON.parse(readFileSync(jsonFile, "utf8"))).positions.length,
    );
    timed(times.arrowSnapshot, () => readArrowSnapshot(readFileSync(arrowFile)).positions.length);
    timed(
      times.jsonBook,
      () => compileBook(parseSnapshot(JSON.parse(readFileSync(jsonFile, "utf8")))).positions.count,
    );
    timed(times.arrowBook, () => readArrowBook(readFileSync(arrowFile)).book.positions.count);
  }
  const ms = {
    jsonSnapshot: median(times.jsonSnapshot),
    arrowSnapshot: median(times.arrowSnapshot),
    jsonBook: median(times.jsonBook),
    arrowBook: median(times.arrowBook),
  };
  const runRow = { ...row, runs: times.jsonBook.length } as const;
  emit({
    ...runRow,
    measure: `load JSON to book (read, JSON.parse, parseSnapshot, compileBook${order})`,
    value: ms.jsonBook,
    unit: "ms",
  });
  emit({
    ...runRow,
    measure: `load Arrow to book (read, readArrowBook${order})`,
    value: ms.arrowBook,
    unit: "ms",
  });
  emit({
    ...runRow,
    measure: `load to book: JSON / Arrow${order}`,
    value: ms.jsonBook / ms.arrowBook,
    unit: "count",
    target: { min: MIN_LOAD_SPEEDUP },
  });
  emit({
    ...runRow,
    measure: `load JSON to snapshot (read, JSON.parse, parseSnapshot${order})`,
    value: ms.jsonSnapshot,
    unit: "ms",
  });
  emit({
    ...runRow,
    measure: `load Arrow to snapshot (read, readArrowSnapshot${order})`,
    value: ms.arrowSnapshot,
    unit: "ms",
  });
  emit({
    ...runRow,
    measure: `load to snapshot: JSON / Arrow${order}`,
    value: ms.jsonSnapshot / ms.arrowSnapshot,
    unit: "count",
    note: "position objects; only commands that read positions pay it",
  });
}
