import { describe, expect, it } from "vitest";
import { UserInputError } from "../../../src/core/errors.js";
import { simulate } from "../../../src/core/propagator/simulate.js";
import { bookFixture } from "../../helpers/snapshotFixtures.js";

describe("simulate input checks", () => {
  const book = bookFixture();

  it.each([
    [{ DOGE: -0.1 }, /unknown shocked asset "DOGE"/],
    [{ WETH: -1 }, /shock of "WETH" must be a number above -1/],
    [{ WETH: -1.5 }, /above -1/],
    [{ WETH: Number.NaN }, /above -1/],
  ])("refuses %j with a UserInputError", (shock, message) => {
    expect(() => simulate(book, shock)).toThrow(UserInputError);
    expect(() => simulate(book, shock)).toThrow(message);
  });

  it("refuses a maxRounds that is not a positive integer", () => {
    expect(() => simulate(book, {}, { maxRounds: 0 })).toThrow(/maxRounds must be an integer of at least 1/);
    expect(() => simulate(book, {}, { maxRounds: 1.5 })).toThrow(UserInputError);
  });

  it("accepts a rise (s > 0) and reports no amplification for it", () => {
    const report = simulate(book, { WETH: 0.5 });
    expect(report.finalPrices.WETH).toBe(4500);
    expect(report.amplification).toEqual({});
    expect(report.totals.byProtocol).toEqual({
      "aave-v3": { liquidations: 0, repaidUsd: 0, badDebtUsd: 0 },
      "morpho-blue": { liquidations: 0, repaidUsd: 0, badDebtUsd: 0 },
      "compound-v3": { liquidations: 0, repaidUsd: 0, badDebtUsd: 0 },
    });
  });
});
