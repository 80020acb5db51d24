/** `incrementalChild.ts BOOK_FILE POSITIONS RUNS TOUCHED`: the incremental-book rows of one book, as JSON lines on stdout. */
import { measureIncremental } from "./measureIncremental.js";

const [bookFile, positionsText, runsText, touchedText] = process.argv.slice(2);
if (
  bookFile === undefined ||
  positionsText === undefined ||
  runsText === undefined ||
  touchedText === undefined
) {
  throw new Error("usage: incrementalChild.ts BOOK_FILE POSITIONS RUNS TOUCHED");
}
measureIncremental(
  bookFile,
  Number(positionsText),
  Number(runsText),
  Number(touchedText),
  (row) => process.stdout.write(`${JSON.stringify(row)}\n`),
  (line) => process.stderr.write(`${line}\n`),
);
