import { describe, expect, it } from "vitest";
import { simulate } from "../../../src/core/propagator/simulate.js";
import { decideCompoundAbsorb } from "../../../src/core/rules/compoundV3.js";
import { bookFixture, COMPOUND_MARKET, positionFixture } from "../../helpers/snapshotFixtures.js";

const wethAt = (amount: number, priceUsd: number) => ({
  asset: "WETH",
  amount,
  priceUsd,
  liquidateCollateralFactor: 0.83,
  liquidationFactor: 0.95,
});
const wbtcAt = (amount: number, priceUsd: number) => ({
  asset: "WBTC",
  amount,
  priceUsd,
  liquidateCollateralFactor: 0.8,
  liquidationFactor: 0.9,
});

describe("Compound III absorb", () => {
  it("is liquidatable when Σ c p lcf < d p_base and clears all debt and collateral", () => {
    const weighted = 1 * 3000 * 0.83 + 0.01 * 60_000 * 0.8;
    const debt = weighted + 1;
    const decision = decideCompoundAbsorb({
      collateral: [wethAt(1, 3000), wbtcAt(0.01, 60_000)],
      debt,
      basePriceUsd: 1,
    });
    expect(decision.liquidatable).toBe(true);
    expect(decision.healthFactor).toBeCloseTo(weighted / debt, 15);
    expect(decision.repay).toBe(debt);
    expect(decision.seized).toEqual({ WETH: 1, WBTC: 0.01 });
    // Credited 3000 * 0.95 + 600 * 0.9 = 3390 > debt 3171: no shortfall.
    expect(decision.badDebtUsd).toBe(0);
  });

  it("reports the shortfall d p_base - Σ c p liquidationFactor as bad debt", () => {
    const debt = 2900;
    const decision = decideCompoundAbsorb({ collateral: [wethAt(1, 3000)], debt, basePriceUsd: 1 });
    expect(decision.badDebtUsd).toBeCloseTo(2900 - 3000 * 0.95, 9);
  });

  it("is not liquidatable at or above the liquidateCollateralFactor line", () => {
    expect(
      decideCompoundAbsorb({ collateral: [wethAt(1, 3000)], debt: 2490, basePriceUsd: 1 }).liquidatable,
    ).toBe(false);
  });

  it("absorbs with a shortfall in a simulation: repaid = d, seized = all, bad debt = shortfall", () => {
    const book = bookFixture({
      positions: [positionFixture(COMPOUND_MARKET, "0xc", { WETH: 1, WBTC: 0.01 }, { USDC: 3300 })],
    });
    const report = simulate(book, { WETH: -0.1, WBTC: -0.1 });
    const [l] = report.liquidations;
    expect(l?.repaid).toEqual({ USDC: 3300 });
    expect(l?.seized).toEqual({ WBTC: 0.01, WETH: 1 });
    expect(l?.seizedUsd).toBeCloseTo(2700 + 540, 9);
    expect(l?.badDebtUsd).toBeCloseTo(3300 - (2700 * 0.95 + 540 * 0.9), 9);
    expect(l?.healthFactor).toBeCloseTo((2700 * 0.83 + 540 * 0.8) / 3300, 12);
    expect(report.rounds).toHaveLength(1);
  });
});
