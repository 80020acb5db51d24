/** `snapshotFormatChild.ts JSON_FILE ARROW_FILE POSITIONS RUNS`: the snapshot-format rows of one book, as JSON lines on stdout. */
import { measureSnapshotFormats } from "./measureSnapshotFormats.js";

const [jsonFile, arrowFile, positionsText, runsText] = process.argv.slice(2);
if (
  jsonFile === undefined ||
  arrowFile === undefined ||
  positionsText === undefined ||
  runsText === undefined
) {
  throw new Error("usage: snapshotFormatChild.ts JSON_FILE ARROW_FILE POSITIONS RUNS");
}
measureSnapshotFormats(
  jsonFile,
  arrowFile,
  Number(positionsText),
  Number(runsText),
  (row) => process.stdout.write(`${JSON.stringify(row)}\n`),
  (line) => process.stderr.write(`${line}\n`),
);
