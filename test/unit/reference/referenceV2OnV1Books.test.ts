/**
 * A cascade-snapshot/1 document simulated by the reference model v2 gives version 1's numbers:
 * the engine's, on the same seeded generated books and shocks as the version 1 differential test.
 */
import { describe, expect, it } from "vitest";
import { generateBook } from "../../../bench/generateBook.js";
import { compileBook } from "../../../src/core/book/compileBook.js";
import { simulate } from "../../../src/core/propagator/simulate.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import { differencesFromReference } from "../../reference/differencesFromReference.js";
import { referenceSimulateV2 } from "../../reference/referenceSimulateV2.js";

const SEED = Number(process.env.SEED ?? 7);
const SHOCKS: ReadonlyArray<Record<string, number>> = [
  { WETH: -0.05 },
  { WETH: -0.2 },
  { WETH: -0.45 },
  { WBTC: -0.3 },
  { wstETH: -0.08 },
  { WETH: -0.15, wstETH: -0.05 },
  { USDC: -0.1 },
  { WETH: 0.3 },
];

describe("reference model v2 on version 1 books", () => {
  for (const [offset, size] of [
    [0, 400],
    [1, 2000],
  ] as const) {
    const seed = SEED + offset;
    it(`agrees with the engine to 1e-9 on a ${size}-position book (seed ${seed})`, () => {
      const doc = generateBook({ positions: size, seed });
      const book = compileBook(parseSnapshot(doc));
      let cascades = 0;
      for (const shock of SHOCKS) {
        const engine = simulate(book, shock);
        const reference = referenceSimulateV2(doc, shock);
        if (reference.rounds.length > 1) cascades += 1;
        // A version 1 engine reports cascade-report/1: compare what that has.
        const version = (engine as { schema: string }).schema === "cascade-report/2" ? 2 : 1;
        expect(differencesFromReference(engine, reference, { version }), JSON.stringify(shock)).toEqual([]);
        // Version 1 has no gas and oracles are market prices: nothing is ever unprofitable.
        expect(reference.totals.stranded).toBe(0);
      }
      expect(cascades).toBeGreaterThan(2);
    });
  }

  it("agrees when maxRounds cuts the cascade short", () => {
    const doc = generateBook({ positions: 1500, seed: SEED });
    const engine = simulate(compileBook(parseSnapshot(doc)), { WETH: -0.3 }, { maxRounds: 2 });
    const reference = referenceSimulateV2(doc, { WETH: -0.3 }, 2);
    expect(reference.converged).toBe(false);
    const version = (engine as { schema: string }).schema === "cascade-report/2" ? 2 : 1;
    expect(differencesFromReference(engine, reference, { version })).toEqual([]);
  });
});
