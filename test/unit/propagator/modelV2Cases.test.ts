/**
 * The engine on the hand-computed model v2 cases of test/fixtures/modelV2Cases.ts: concentrated
 * sales and buys across ranges and gaps, trades netted up the quote tree, rate, deviation and
 * fixed oracles, the profit rule and stranded debt, Aave V4's bonus, dust and deficit, Compound
 * with a WETH base and with closed sales, a borrow-only Aave reserve, a v1 document.
 */
import { describe, expect, it } from "vitest";
import { compileBook } from "../../../src/core/book/compileBook.js";
import { simulate } from "../../../src/core/propagator/simulate.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import { caseMismatches, MODEL_V2_CASES } from "../../fixtures/modelV2Cases.js";

describe("engine on the hand-computed model v2 cases", () => {
  for (const c of MODEL_V2_CASES) {
    it(c.name, () => {
      const book = compileBook(parseSnapshot(c.doc));
      const report = simulate(book, c.shock, c.maxRounds === undefined ? {} : { maxRounds: c.maxRounds });
      expect(caseMismatches(report, c.expected)).toEqual([]);
    });
  }
});
