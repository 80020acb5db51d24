/**
 * `npx tsx bench/writeBook.ts [--positions 2000] [--seed 1] [--model v1|v2|v1-as-v2] [--out book.json]`
 * Writes a seeded benchmark book to a file or stdout: `v1` (default) a cascade-snapshot/1 book;
 * `v2` a mainnet-shaped cascade-snapshot/2 book with every feature of model v2 (exchange-rate
 * LST oracles, a deviation feed, a fixed feed, wstETH quoted in WETH, Uniswap V3-shaped
 * WETH/USDC ranges, an Aave V4 spoke, gas); `v1-as-v2` the v1 book's positions carried into v2.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { generateBook } from "./generateBook.js";
import { generateBookV2, toV2Shape } from "./generateBookV2.js";

const MODELS = ["v1", "v2", "v1-as-v2"] as const;

const { values } = parseArgs({
  options: {
    positions: { type: "string", default: "2000" },
    seed: { type: "string", default: "1" },
    model: { type: "string", default: "v1" },
    out: { type: "string" },
  },
});
const positions = Number(values.positions);
const seed = Number(values.seed);
const model = MODELS.find((m) => m === values.model);
if (!Number.isSafeInteger(positions) || positions <= 0) {
  process.stderr.write(`--positions ${values.positions}: expected a positive integer\n`);
  process.exit(2);
}
if (!Number.isSafeInteger(seed)) {
  process.stderr.write(`--seed ${values.seed}: expected an integer\n`);
  process.exit(2);
}
if (model === undefined) {
  process.stderr.write(`--model ${values.model}: expected one of ${MODELS.join(", ")}\n`);
  process.exit(2);
}
const book =
  model === "v1"
    ? generateBook({ positions, seed })
    : model === "v2"
      ? generateBookV2({ positions, seed })
      : toV2Shape(generateBook({ positions, seed }));
const text = `${JSON.stringify(book)}\n`;
if (values.out === undefined) process.stdout.write(text);
else writeFileSync(values.out, text);
