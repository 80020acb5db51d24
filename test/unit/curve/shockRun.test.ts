/**
 * One run of a single asset's shock serves a scenario, a curve point and a critical-shock step:
 * the runs a cycle shares give exactly the points and the search of runs made afresh. Generated
 * books (the bench's generator), several seeds; SEED reproduces a failure.
 */
import { describe, expect, it } from "vitest";
import { generateBook } from "../../../bench/generateBook.js";
import { compileBook } from "../../../src/core/book/compileBook.js";
import { findCriticalShock } from "../../../src/core/curve/findCriticalShock.js";
import { liquidationCurve, runShock } from "../../../src/core/curve/liquidationCurve.js";
import { type ShockRunCache, shockRunOf } from "../../../src/core/curve/shockRun.js";
import { simulate } from "../../../src/core/propagator/simulate.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";

const SEED = Number(process.env.SEED ?? 7);
const MAX_ROUNDS = 50;
const SHOCKS = [-0.01, -0.02, -0.05, -0.06, -0.1, -0.2, -0.35];

describe("shared shock runs", () => {
  for (const seed of [SEED, SEED + 1, SEED + 2]) {
    const book = compileBook(parseSnapshot(generateBook({ positions: 3000, seed })));

    it(`a scenario's rounds are the curve point's and the search step's run (seed ${seed})`, () => {
      for (const s of SHOCKS) {
        const report = simulate(book, { WETH: s }, { maxRounds: MAX_ROUNDS });
        expect(shockRunOf(report.rounds), `shock ${s}`).toEqual(runShock(book, "WETH", s, MAX_ROUNDS));
      }
    });

    it(`a curve and a search on shared runs give what they give alone (seed ${seed})`, () => {
      const alone = {
        curve: liquidationCurve(book, "WETH", SHOCKS, { maxRounds: MAX_ROUNDS }),
        search: findCriticalShock(book, "WETH", { maxRounds: MAX_ROUNDS }),
      };
      // Runs first made by scenarios, then the curve, then the search (the cycle's order), and the reverse.
      const scenarioFirst: ShockRunCache = new Map();
      for (const s of [-0.1, -0.05])
        scenarioFirst.set(s, shockRunOf(simulate(book, { WETH: s }, { maxRounds: MAX_ROUNDS }).rounds));
      const curve = liquidationCurve(book, "WETH", SHOCKS, { maxRounds: MAX_ROUNDS, runs: scenarioFirst });
      const search = findCriticalShock(book, "WETH", { maxRounds: MAX_ROUNDS, runs: scenarioFirst });
      expect({ curve, search }).toEqual(alone);
      const searchFirst: ShockRunCache = new Map();
      const search2 = findCriticalShock(book, "WETH", { maxRounds: MAX_ROUNDS, runs: searchFirst });
      const searched = new Set(searchFirst.keys());
      const curve2 = liquidationCurve(book, "WETH", SHOCKS, { maxRounds: MAX_ROUNDS, runs: searchFirst });
      expect({ curve: curve2, search: search2 }).toEqual(alone);
      // The curve ran only the shocks the search had not: -1% is always the search's first step.
      expect(searched.has(-0.01)).toBe(true);
      expect(searchFirst.size).toBe(searched.size + SHOCKS.filter((s) => !searched.has(s)).length);
    });
  }
});
