/** `modelV2Child.ts V1_BOOK V2_BOOK POSITIONS RUNS`: the model v2 measurements, rows as JSON lines on stdout. */
import { measureModelV2 } from "./measureModelV2.js";

const [v1File, v2File, positionsText, runsText] = process.argv.slice(2);
if (v1File === undefined || v2File === undefined || positionsText === undefined || runsText === undefined) {
  throw new Error("usage: modelV2Child.ts V1_BOOK V2_BOOK POSITIONS RUNS");
}
await measureModelV2(
  v1File,
  v2File,
  Number(positionsText),
  Number(runsText),
  (row) => process.stdout.write(`${JSON.stringify(row)}\n`),
  (line) => process.stderr.write(`${line}\n`),
);
