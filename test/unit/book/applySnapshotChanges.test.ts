/**
 * The incremental book against the book compiled from scratch: over random sequences of block
 * changes (changed, new and closed positions; moved prices, oracles, pools and market
 * parameters; now and then an invalid field), the updated book equals `compileBook` of the
 * changed document field for field, its reports are byte-identical, and a bad change throws
 * the very error a full parse of the changed document throws. SEED reproduces a failure.
 */
import { describe, expect, it } from "vitest";
import { generateBook } from "../../../bench/generateBook.js";
import { generateBookV2 } from "../../../bench/generateBookV2.js";
import { compileBook } from "../../../src/core/book/compileBook.js";
import {
  applySnapshotChanges,
  type CompiledSnapshot,
  compileSnapshot,
} from "../../../src/core/book/compiledSnapshot.js";
import { SnapshotError } from "../../../src/core/errors.js";
import { simulate } from "../../../src/core/propagator/simulate.js";
import { createPrng } from "../../../src/core/random/createPrng.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import { changedDocument } from "../../../src/core/snapshot/snapshotChanges.js";
import { randomSnapshotChanges } from "../../helpers/randomSnapshotChanges.js";
import { AAVE_MARKET, positionFixture, snapshotFixture } from "../../helpers/snapshotFixtures.js";

const SEED = Number(process.env.SEED ?? 20261201);
const SHOCKS = [{ WETH: -0.25 }, { WBTC: -0.3, WETH: -0.1 }, { USDC: -0.05 }];

/** Full parse of the document, as a file would be read. */
function parseFresh(document: unknown): ReturnType<typeof parseSnapshot> | SnapshotError {
  try {
    return parseSnapshot(JSON.parse(JSON.stringify(document)));
  } catch (error) {
    if (error instanceof SnapshotError) return error;
    throw error;
  }
}

function reportsOf(compiled: CompiledSnapshot["book"]): string {
  return JSON.stringify(SHOCKS.map((shock) => simulate(compiled, shock)));
}

function runSequence(start: unknown, seed: number, steps: number) {
  const prng = createPrng(seed);
  let current = compileSnapshot(parseSnapshot(start));
  const modes = new Map<string, number>();
  let refused = 0;
  for (let step = 0; step < steps; step++) {
    const changes = randomSnapshotChanges(
      prng,
      current.snapshot,
      {
        touched: 1 + Math.floor(prng.next() * 12),
        headerChance: 0.3,
        invalidChance: 0.2,
        structureChance: 0.04,
      },
      step,
    );
    const expected = parseFresh(changedDocument(current.snapshot, changes));
    let applied: ReturnType<typeof applySnapshotChanges> | SnapshotError;
    try {
      applied = applySnapshotChanges(current, changes);
    } catch (error) {
      if (!(error instanceof SnapshotError)) throw error;
      applied = error;
    }
    if (expected instanceof SnapshotError) {
      expect(applied, `step ${step}: ${expected.message}`).toBeInstanceOf(SnapshotError);
      expect((applied as SnapshotError).message).toBe(expected.message);
      refused++;
      continue;
    }
    if (applied instanceof SnapshotError)
      throw new Error(`step ${step}: refused a valid change: ${applied.message}`);
    modes.set(applied.mode, (modes.get(applied.mode) ?? 0) + 1);
    expect(applied.compiled.book, `step ${step} (${applied.mode})`).toEqual(compileBook(expected));
    current = applied.compiled;
  }
  return { current, modes, refused };
}

describe("applySnapshotChanges", () => {
  it.each([
    ["v2 book", () => generateBookV2({ positions: 500, seed: SEED })],
    ["v1 book", () => generateBook({ positions: 400, seed: SEED + 1 })],
  ])("keeps a %s equal to one compiled from scratch over random block sequences", (_, make) => {
    const modes = new Map<string, number>();
    let refused = 0;
    for (let run = 0; run < 4; run++) {
      const outcome = runSequence(make(), SEED + 17 * run, 30);
      for (const [mode, n] of outcome.modes) modes.set(mode, (modes.get(mode) ?? 0) + n);
      refused += outcome.refused;
      // Byte-identical reports against the final snapshot compiled from scratch, in shuffled order.
      const shuffled = JSON.parse(JSON.stringify(outcome.current.snapshot));
      const prng = createPrng(SEED + run);
      shuffled.positions.sort(() => prng.next() - 0.5);
      expect(reportsOf(outcome.current.book)).toBe(reportsOf(compileBook(parseSnapshot(shuffled))));
    }
    // Every path was taken: in place, from scratch for a new asset, and refusals.
    expect(modes.get("incremental") ?? 0).toBeGreaterThan(40);
    expect(modes.get("rebuild:structure") ?? 0).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(5);
  });

  it("names the changed document's path of a bad new position, as a full parse does", () => {
    const current = compileSnapshot(
      parseSnapshot(
        snapshotFixture({
          positions: [
            positionFixture(AAVE_MARKET, "0xb", { WETH: 10 }, { USDC: 1000 }),
            positionFixture(AAVE_MARKET, "0xa", { WETH: 1 }, { USDC: 2000 }),
          ],
        }),
      ),
    );
    const bad = positionFixture(AAVE_MARKET, "0xc", { WETH: 1 }, { USDC: -5 });
    expect(() => applySnapshotChanges(current, { upserts: [bad] })).toThrow(
      "positions[2].debt.USDC: must not be negative",
    );
    const unknown = positionFixture("aave-v3:1:0xnowhere", "0xd", { WETH: 1 }, { USDC: 5 });
    const closed = [{ market: AAVE_MARKET, account: "0xa" }];
    expect(() => applySnapshotChanges(current, { closed, upserts: [unknown] })).toThrow(
      'positions[1].market: unknown market "aave-v3:1:0xnowhere"',
    );
  });

  it("compiles from scratch when most of the book changed (a full re-read)", () => {
    const start = parseSnapshot(generateBook({ positions: 200, seed: SEED }));
    const current = compileSnapshot(start);
    const upserts = current.snapshot.positions.map((p) => ({ ...p, debt: { ...p.debt } }));
    const applied = applySnapshotChanges(current, { upserts });
    expect(applied.mode).toBe("rebuild:size");
    expect(applied.compiled.book).toEqual(compileBook(start));
  });
});
