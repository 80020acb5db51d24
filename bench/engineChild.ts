/** `engineChild.ts BOOK_FILE POSITIONS RUNS`: the engine measurements of one book, rows as JSON lines on stdout. */
import { measureEngine } from "./measureEngine.js";

const [bookFile, positionsText, runsText] = process.argv.slice(2);
if (bookFile === undefined || positionsText === undefined || runsText === undefined) {
  throw new Error("usage: engineChild.ts BOOK_FILE POSITIONS RUNS");
}
await measureEngine(
  bookFile,
  Number(positionsText),
  Number(runsText),
  (row) => process.stdout.write(`${JSON.stringify(row)}\n`),
  (line) => process.stderr.write(`${line}\n`),
);
