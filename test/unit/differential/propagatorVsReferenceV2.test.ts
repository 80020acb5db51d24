/**
 * The fast propagator against the independent model v2 reference (test/reference), on seeded
 * generated v2 books (exchange-rate and deviation oracles, a fixed feed, wstETH quoted in WETH,
 * concentrated WETH/USDC ranges with gaps, an Aave V4 spoke, closed and open comets, gas):
 * two implementations of docs/cascade-model.md agree to 1e-9 relative on every number.
 */
import { describe, expect, it } from "vitest";
import { generateBookV2 } from "../../../bench/generateBookV2.js";
import { compileBook } from "../../../src/core/book/compileBook.js";
import { simulate } from "../../../src/core/propagator/simulate.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import { differencesFromReference } from "../../reference/differencesFromReference.js";
import { referenceSimulateV2 } from "../../reference/referenceSimulateV2.js";

const SEED = Number(process.env.SEED ?? 11);
const SHOCKS: ReadonlyArray<Record<string, number>> = [
  {},
  { WETH: -0.05 },
  { WETH: -0.2 },
  { WETH: -0.35 },
  { WBTC: -0.3 },
  { wstETH: -0.08 },
  { USDC: -0.05 },
  { WETH: -0.25, WBTC: -0.15 },
  { WETH: 0.25 },
];

describe("propagator against the model v2 reference", () => {
  for (const [offset, size] of [
    [0, 400],
    [1, 1500],
    [2, 3000],
  ] as const) {
    const seed = SEED + offset;
    it(`agrees to 1e-9 on a ${size}-position v2 book (seed ${seed}) under ${SHOCKS.length} shocks`, () => {
      const doc = generateBookV2({ positions: size, seed });
      const book = compileBook(parseSnapshot(doc));
      let cascades = 0;
      let unprofitable = 0;
      let crossProtocol = 0;
      for (const shock of SHOCKS) {
        const engine = simulate(book, shock);
        const reference = referenceSimulateV2(doc, shock);
        if (reference.rounds.length > 1) cascades += 1;
        unprofitable += reference.rounds.reduce((sum, r) => sum + r.unprofitable, 0);
        crossProtocol += reference.liquidations.filter((l) => l.crossProtocol).length;
        expect(differencesFromReference(engine, reference), JSON.stringify(shock)).toEqual([]);
      }
      // The comparison is only worth something if the books cascade, skip work and cross protocols.
      expect(cascades).toBeGreaterThan(2);
      expect(unprofitable).toBeGreaterThan(0);
      expect(crossProtocol).toBeGreaterThan(0);
    });
  }

  it("agrees when maxRounds cuts a v2 cascade short (stranded judged at the next round's reports)", () => {
    const doc = generateBookV2({ positions: 1500, seed: SEED });
    const book = compileBook(parseSnapshot(doc));
    const engine = simulate(book, { WETH: -0.35 }, { maxRounds: 2 });
    const reference = referenceSimulateV2(doc, { WETH: -0.35 }, 2);
    expect(reference.converged).toBe(false);
    expect(differencesFromReference(engine, reference)).toEqual([]);
  });
});
