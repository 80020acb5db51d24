/**
 * `npx tsx bench/writeBook.ts [--positions 2000] [--seed 1] [--out book.json]`
 * Writes a seeded benchmark book (a valid cascade-snapshot/1) to a file or stdout.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { generateBook } from "./generateBook.js";

const { values } = parseArgs({
  options: {
    positions: { type: "string", default: "2000" },
    seed: { type: "string", default: "1" },
    out: { type: "string" },
  },
});
const positions = Number(values.positions);
const seed = Number(values.seed);
if (!Number.isSafeInteger(positions) || positions <= 0) {
  process.stderr.write(`--positions ${values.positions}: expected a positive integer\n`);
  process.exit(2);
}
if (!Number.isSafeInteger(seed)) {
  process.stderr.write(`--seed ${values.seed}: expected an integer\n`);
  process.exit(2);
}
const text = `${JSON.stringify(generateBook({ positions, seed }))}\n`;
if (values.out === undefined) process.stdout.write(text);
else writeFileSync(values.out, text);
