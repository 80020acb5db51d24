/**
 * The fast propagator against the naive reference (test/reference), on seeded generated books:
 * cascade-model.md requires two independent implementations to agree to 1e-9 relative.
 */
import { describe, expect, it } from "vitest";
import { generateBook } from "../../../bench/generateBook.js";
import { compileBook } from "../../../src/core/book/compileBook.js";
import { simulate } from "../../../src/core/propagator/simulate.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import { differencesFromReference } from "../../reference/differencesFromReference.js";
import { referenceSimulate } from "../../reference/referenceSimulate.js";

const SEED = Number(process.env.SEED ?? 7);
const SHOCKS: ReadonlyArray<Record<string, number>> = [
  {},
  { WETH: -0.05 },
  { WETH: -0.2 },
  { WETH: -0.45 },
  { WBTC: -0.3 },
  { WETH: -0.25, WBTC: -0.15 },
  { wstETH: -0.08 },
  { WETH: -0.15, wstETH: -0.05 },
  { USDC: -0.1 },
  { WETH: 0.3 },
];

describe("propagator against the independent reference", () => {
  for (const [offset, size] of [
    [0, 300],
    [1, 1500],
    [2, 4000],
  ] as const) {
    const seed = SEED + offset;
    it(`agrees to 1e-9 on a ${size}-position book (seed ${seed}) under ${SHOCKS.length} shocks`, () => {
      const snapshot = parseSnapshot(generateBook({ positions: size, seed }));
      const book = compileBook(snapshot);
      let cascades = 0;
      for (const shock of SHOCKS) {
        const actual = simulate(book, shock);
        const expected = referenceSimulate(snapshot, shock);
        if (expected.rounds.length > 1) cascades += 1;
        const mismatches = differencesFromReference(actual, expected);
        expect(mismatches, `shock ${JSON.stringify(shock)}`).toEqual([]);
      }
      // The comparison is only worth something if the books really cascade.
      expect(cascades).toBeGreaterThan(2);
    });
  }

  it("agrees when maxRounds cuts the cascade short", () => {
    const snapshot = parseSnapshot(generateBook({ positions: 1500, seed: SEED }));
    const book = compileBook(snapshot);
    const actual = simulate(book, { WETH: -0.3 }, { maxRounds: 2 });
    const expected = referenceSimulate(snapshot, { WETH: -0.3 }, 2);
    expect(expected.converged).toBe(false);
    expect(differencesFromReference(actual, expected)).toEqual([]);
  });
});
