import { describe, expect, it } from "vitest";
import { simulate } from "../../../src/core/propagator/simulate.js";
import {
  decideMorphoLiquidation,
  morphoLiquidationIncentiveFactor,
} from "../../../src/core/rules/morphoBlue.js";
import {
  bookFixture,
  MORPHO_MARKET,
  morphoMarketFixture,
  positionFixture,
} from "../../helpers/snapshotFixtures.js";

describe("Morpho Blue", () => {
  it("LIF is min(1.15, 1 / (0.3 lltv + 0.7))", () => {
    expect(morphoLiquidationIncentiveFactor(0.86)).toBeCloseTo(1 / (0.3 * 0.86 + 0.7), 15);
    expect(morphoLiquidationIncentiveFactor(0.5)).toBe(1.15);
  });

  it("liquidates fully when d p_loan > c p_coll lltv, seizing d p LIF / p_coll", () => {
    const lltv = 0.86;
    const lif = 1 / (0.3 * lltv + 0.7);
    // 1 WETH at $3000 against $2700 USDC: 2700 > 3000 * 0.86 = 2580.
    const decision = decideMorphoLiquidation({
      lltv,
      collateral: 1,
      collateralPriceUsd: 3000,
      debt: 2700,
      loanPriceUsd: 1,
    });
    expect(decision.liquidatable).toBe(true);
    expect(decision.healthFactor).toBeCloseTo((3000 * 0.86) / 2700, 15);
    const seize = (2700 * lif) / 3000;
    expect(seize).toBeLessThan(1);
    expect(decision.seize).toBeCloseTo(seize, 15);
    expect(decision.repay).toBeCloseTo(2700, 9);
    expect(decision.badDebtUsd).toBe(0);
  });

  it("takes all the collateral and writes the rest off as bad debt when it is not enough", () => {
    const lltv = 0.86;
    const lif = 1 / (0.3 * lltv + 0.7);
    // 1 WETH at $3000 against $2900: 2900 * lif = 3032 > 3000, so all collateral goes.
    const decision = decideMorphoLiquidation({
      lltv,
      collateral: 1,
      collateralPriceUsd: 3000,
      debt: 2900,
      loanPriceUsd: 1,
    });
    expect(decision.seize).toBe(1);
    const repay = (1 * 3000) / (lif * 1);
    expect(decision.repay).toBeCloseTo(repay, 9);
    expect(decision.badDebtUsd).toBeCloseTo(2900 - repay, 9);
  });

  it("reports the bad debt and removes the position in a simulation", () => {
    const lltv = 0.86;
    const lif = 1 / (0.3 * lltv + 0.7);
    const book = bookFixture({
      markets: [morphoMarketFixture({ lltv })],
      positions: [positionFixture(MORPHO_MARKET, "0xm", { WETH: 1 }, { USDC: 2900 })],
    });
    const report = simulate(book, { WETH: -0.1 });
    // At $2700: seize min(1, 2900 lif / 2700) = 1; repay 2700 / lif; bad debt 2900 - repay.
    const repay = 2700 / lif;
    expect(report.rounds).toHaveLength(1);
    expect(report.liquidations[0]?.seized.WETH).toBe(1);
    expect(report.liquidations[0]?.repaidUsd).toBeCloseTo(repay, 9);
    expect(report.totals.badDebtUsd).toBeCloseTo(2900 - repay, 9);
    expect(report.totals.byProtocol["morpho-blue"]?.badDebtUsd).toBeCloseTo(2900 - repay, 9);
  });
});
