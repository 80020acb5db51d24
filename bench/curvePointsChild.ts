/**
 * `curvePointsChild.ts POSITIONS SEED`: the distributed benchmark's control for its work, not its
 * pipeline. Generates and compiles the same book as `distributedChild.ts`, prints `loaded`, waits
 * for a line on stdin, then runs the cycle's 32 WETH curve points on the core engine, no Redis,
 * no job, and prints the points per second as JSON. Two of these side by side against one alone
 * tell how much of a second core the machine gives this work (memory-bound, unlike a loop in
 * registers): the ceiling of the pipeline's 2-worker ratio.
 */
import { createInterface } from "node:readline";
import { createCoreEngine } from "../src/app/daemon/coreEngine.js";
import { compileSnapshot } from "../src/core/book/compiledSnapshot.js";
import { parseSnapshot } from "../src/core/snapshot/parseSnapshot.js";
import { DISTRIBUTED_CURVE_SHOCKS } from "./distributedCurve.js";
import { generateBook } from "./generateBook.js";

const [positionsText, seedText] = process.argv.slice(2);
const positions = Number(positionsText);
const seed = Number(seedText ?? "1");
if (!Number.isSafeInteger(positions) || positions <= 0)
  throw new Error("usage: curvePointsChild.ts POSITIONS SEED");
const { book } = compileSnapshot(parseSnapshot(generateBook({ positions, seed })));
const engine = createCoreEngine();
// One warm-up point (JIT), not measured.
engine.curve(book, "WETH", [DISTRIBUTED_CURVE_SHOCKS[0]!], 50);
process.stdout.write("loaded\n");
const lines = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.once("line", () => resolve()));
lines.close();
const t0 = performance.now();
for (const shock of DISTRIBUTED_CURVE_SHOCKS) engine.curve(book, "WETH", [shock], 50);
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(`${JSON.stringify({ pointsPerSecond: DISTRIBUTED_CURVE_SHOCKS.length / seconds })}\n`);
