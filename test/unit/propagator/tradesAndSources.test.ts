import { describe, expect, it } from "vitest";
import { simulate } from "../../../src/core/propagator/simulate.js";
import {
  AAVE_MARKET,
  aaveMarketFixture,
  assetFixture,
  bookFixture,
  COMPOUND_MARKET,
  compoundMarketFixture,
  poolAssetFixture,
  positionFixture,
} from "../../helpers/snapshotFixtures.js";

describe("round trades", () => {
  it("caps a repayment buy at 0.99 of the pool and flags the round liquidityExhausted", () => {
    // USDC pool of 10000 units; an Aave liquidation repays ~28571 USDC: the buy is capped at 9900.
    const book = bookFixture({
      assets: [assetFixture("WETH", 3000), poolAssetFixture("USDC", 1, 10_000), assetFixture("WBTC", 60_000)],
      positions: [positionFixture(AAVE_MARKET, "0xa", { WETH: 10 }, { USDC: 30_000 })],
    });
    const report = simulate(book, {});
    const round = report.rounds[0]!;
    // HF 0.8: full close, but 30000 * 1.05 / 3000 = 10.5 WETH > 10: capped, repay = 10 * 3000 / 1.05.
    expect(report.liquidations[0]?.repaid.USDC).toBeCloseTo((10 * 3000) / 1.05, 9);
    expect(round.liquidityExhausted).toBe(true);
    // x = 10000 - 9900 = 100, y = 10000 + 10000 * 9900 / 100.
    expect(round.prices.USDC).toBeCloseTo((10_000 + (10_000 * 9900) / 100) / 100, 9);
  });
});

describe("attribution through leaders", () => {
  it("a position holding a follower is sourced by the protocol that traded its leader", () => {
    // Round 1: a Compound absorb sells WETH. wstETH follows WETH (beta 1) and drops with it,
    // tipping an Aave position that holds only wstETH in round 2.
    const k = 1000 * 3_000_000;
    const p0 = 2700;
    const x0 = Math.sqrt(k / p0);
    const y0 = Math.sqrt(k * p0);
    const sold = 100;
    const p1 = (y0 - (sold * y0) / (x0 + sold)) / (x0 + sold);
    const wst0 = 3500 * (p0 / 3000);
    const wst1 = wst0 * (p1 / p0);
    // Aave: 10 wstETH at lt 0.79, debt between the two liquidation lines.
    const debt = (10 * 0.79 * (wst0 + wst1)) / 2;
    const book = bookFixture({
      assets: [
        poolAssetFixture("WETH", 3000, 1000),
        assetFixture("wstETH", 3500, { follows: { asset: "WETH", beta: 1 } }),
        assetFixture("USDC", 1),
        assetFixture("WBTC", 60_000),
      ],
      markets: [
        aaveMarketFixture({
          reserves: {
            wstETH: { liquidationThreshold: 0.79, liquidationBonus: 0.06, protocolFee: 0 },
            USDC: { liquidationThreshold: 0.78, liquidationBonus: 0.045 },
          },
        }),
        compoundMarketFixture(),
      ],
      positions: [
        positionFixture(COMPOUND_MARKET, "0xc", { WETH: sold }, { USDC: 0.83 * sold * 2800 }),
        positionFixture(AAVE_MARKET, "0xa", { wstETH: 10 }, { USDC: debt }),
      ],
    });
    const report = simulate(book, { WETH: -0.1 });
    expect(report.rounds).toHaveLength(2);
    expect(report.rounds[0]?.prices.WETH).toBeCloseTo(p1, 9);
    expect(report.rounds[0]?.prices.wstETH).toBeCloseTo(wst1, 9);
    const aave = report.liquidations.find((l) => l.account === "0xa")!;
    expect(aave.round).toBe(2);
    expect(aave.sources).toEqual(["compound-v3"]);
    expect(aave.crossProtocol).toBe(true);
    expect(aave.healthFactor).toBeCloseTo((10 * wst1 * 0.79) / debt, 12);
  });
});
