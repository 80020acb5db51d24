import { describe, expect, it } from "vitest";
import { simulate } from "../../../src/core/propagator/simulate.js";
import {
  type AaveCloseParams,
  aaveEffectiveCollateralParams,
  decideAaveLiquidation,
} from "../../../src/core/rules/aaveV3.js";
import {
  AAVE_MARKET,
  aaveMarketFixture,
  bookFixture,
  positionFixture,
} from "../../helpers/snapshotFixtures.js";

const v30: AaveCloseParams = {
  liquidationLogic: "v3.0",
  closeFactor: 0.5,
  closeFactorHfThreshold: 0.95,
  fullCloseBelowUsd: 2000,
  minLeftoverUsd: 1000,
};
const v33: AaveCloseParams = { ...v30, liquidationLogic: "v3.3" };
const ETH = 3000;
const weth = (
  amount: number,
  overrides: Partial<{ liquidationThreshold: number; liquidationBonus: number }> = {},
) => ({
  asset: "WETH",
  amount,
  priceUsd: ETH,
  liquidationThreshold: 0.8,
  liquidationBonus: 0.05,
  protocolFee: 0.1,
  ...overrides,
});
const usdc = (amount: number) => ({ asset: "USDC", amount, priceUsd: 1 });

/** USDC debt that puts 10 WETH (lt 0.8) at health factor `hf`. */
const debtFor = (hf: number, collateral = 10) => (collateral * ETH * 0.8) / hf;

describe("Aave V3 health factor and close factor", () => {
  it("HF 0.97 under v3.0 repays the close factor (50%) of the debt", () => {
    const d = debtFor(0.97);
    const decision = decideAaveLiquidation({ market: v30, collateral: [weth(10)], debt: [usdc(d)] });
    expect(decision.healthFactor).toBeCloseTo(0.97, 12);
    expect(decision.liquidatable).toBe(true);
    const repay = 0.5 * d;
    const seize = (repay * 1 * 1.05) / ETH;
    expect(decision.maxRepay).toBeCloseTo(repay, 9);
    expect(decision.repay).toBeCloseTo(repay, 9);
    expect(decision.seize).toBeCloseTo(seize, 12);
    expect(decision.protocolFee).toBeCloseTo((seize - seize / 1.05) * 0.1, 12);
    expect(decision.sold).toBeCloseTo(seize - (seize - seize / 1.05) * 0.1, 12);
    expect(decision.badDebtUsd).toBe(0);
  });

  it("HF 0.97 under v3.3 with both sides above fullCloseBelowUsd caps at closeFactor * total debt", () => {
    const d = debtFor(0.97);
    const decision = decideAaveLiquidation({ market: v33, collateral: [weth(10)], debt: [usdc(d)] });
    expect(decision.repay).toBeCloseTo((0.5 * d) / 1, 9);
    expect(decision.seize).toBeCloseTo((0.5 * d * 1.05) / ETH, 12);
  });

  it("HF 0.94 (at or below closeFactorHfThreshold) repays all of the debt asset under both logics", () => {
    const d = debtFor(0.94);
    for (const market of [v30, v33]) {
      const decision = decideAaveLiquidation({ market, collateral: [weth(10)], debt: [usdc(d)] });
      expect(decision.healthFactor).toBeCloseTo(0.94, 12);
      expect(decision.repay).toBeCloseTo(d, 9);
      expect(decision.seize).toBeCloseTo((d * 1.05) / ETH, 12);
      expect(decision.badDebtUsd).toBe(0);
    }
  });

  it("v3.3 closes fully below fullCloseBelowUsd even at HF 0.97; v3.0 keeps 50%", () => {
    const c = 0.5; // $1500 of collateral < $2000
    const d = (c * ETH * 0.8) / 0.97;
    const full = decideAaveLiquidation({ market: v33, collateral: [weth(c)], debt: [usdc(d)] });
    expect(full.repay).toBeCloseTo(d, 9);
    expect(full.seize).toBeCloseTo((d * 1.05) / ETH, 12);
    const half = decideAaveLiquidation({ market: v30, collateral: [weth(c)], debt: [usdc(d)] });
    expect(half.repay).toBeCloseTo(d / 2, 9);
  });

  it("v3.3 dust rule lowers the repay so both leftovers keep minLeftoverUsd", () => {
    // Debt: $5400 USDC (largest, chosen) + $4600 WBTC; D = 10000; HF 0.97 on WETH collateral.
    const wbtc = { asset: "WBTC", amount: 4600 / 60_000, priceUsd: 60_000 };
    const c = (0.97 * 10_000) / (ETH * 0.8);
    const decision = decideAaveLiquidation({ market: v33, collateral: [weth(c)], debt: [usdc(5400), wbtc] });
    expect(decision.healthFactor).toBeCloseTo(0.97, 12);
    expect(decision.debtAsset).toBe("USDC");
    expect(decision.maxRepay).toBeCloseTo(0.5 * 10_000, 9); // 5400 > 0.5 D: capped
    // 5000 would leave $400 of USDC debt: lowered to leave exactly $1000.
    const repay = Math.min(5000, 5400 - 1000 / 1, ((c - 1000 / ETH) * ETH) / (1.05 * 1));
    expect(repay).toBe(4400);
    expect(decision.repay).toBeCloseTo(repay, 9);
    expect(decision.seize).toBeCloseTo((repay * 1.05) / ETH, 12);
  });

  it("caps the seizure at the collateral held and leaves the rest as bad debt", () => {
    // 1 WETH against $3000 USDC: HF 0.8; seizing 3000 * 1.05 / 3000 = 1.05 WETH > 1.
    const decision = decideAaveLiquidation({ market: v30, collateral: [weth(1)], debt: [usdc(3000)] });
    expect(decision.seize).toBe(1);
    const repay = (1 * ETH) / (1.05 * 1);
    expect(decision.repay).toBeCloseTo(repay, 9);
    expect(decision.badDebtUsd).toBeCloseTo(3000 - repay, 9);
  });

  it("picks the largest debt and collateral by USD value, ties to the smaller asset id", () => {
    const tie = decideAaveLiquidation({
      market: v30,
      collateral: [
        { ...weth(1), asset: "WETH" },
        { ...weth(1), asset: "AAA" },
      ],
      debt: [usdc(2000), { asset: "DAI", amount: 2000, priceUsd: 1 }],
    });
    expect(tie.collateralAsset).toBe("AAA");
    expect(tie.debtAsset).toBe("DAI");
  });

  it("is not liquidatable at HF >= 1 and reports +Infinity without debt", () => {
    expect(
      decideAaveLiquidation({ market: v33, collateral: [weth(10)], debt: [usdc(debtFor(1))] }).liquidatable,
    ).toBe(false);
    expect(decideAaveLiquidation({ market: v33, collateral: [weth(10)], debt: [] }).healthFactor).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it("uses the eMode category's threshold and bonus and the reserve's protocol fee", () => {
    const market = aaveMarketFixture({
      emodes: { "1": { liquidationThreshold: 0.93, liquidationBonus: 0.01, assets: ["WETH"] } },
    });
    const params = aaveEffectiveCollateralParams(
      market as Parameters<typeof aaveEffectiveCollateralParams>[0],
      1,
      "WETH",
    );
    expect(params).toEqual({ liquidationThreshold: 0.93, liquidationBonus: 0.01, protocolFee: 0.1 });
    // 10 WETH at lt 0.93: HF 0.94 means debt = 10 * 3000 * 0.93 / 0.94.
    const d = (10 * ETH * 0.93) / 0.94;
    const decision = decideAaveLiquidation({
      market: v33,
      collateral: [{ ...weth(10), liquidationThreshold: 0.93, liquidationBonus: 0.01 }],
      debt: [usdc(d)],
    });
    expect(decision.healthFactor).toBeCloseTo(0.94, 12);
    const seize = (d * 1.01) / ETH;
    expect(decision.seize).toBeCloseTo(seize, 12);
    expect(decision.protocolFee).toBeCloseTo((seize - seize / 1.01) * 0.1, 12);
  });
});

describe("Aave V3 in the propagator", () => {
  it("gives the same numbers as the plain-object rule, with the eMode resolved from the snapshot", () => {
    const d = (10 * ETH * 0.93) / 0.97;
    const book = bookFixture({
      markets: [
        aaveMarketFixture({
          liquidationLogic: "v3.0",
          emodes: { "1": { liquidationThreshold: 0.93, liquidationBonus: 0.01, assets: ["WETH"] } },
        }),
      ],
      positions: [positionFixture(AAVE_MARKET, "0xa", { WETH: 10 }, { USDC: d }, { emode: 1 })],
    });
    const report = simulate(book, {});
    expect(report.liquidations).toHaveLength(1);
    const [l] = report.liquidations;
    const repay = d / 2;
    const seize = (repay * 1.01) / ETH;
    expect(l?.healthFactor).toBeCloseTo(0.97, 12);
    expect(l?.repaid.USDC).toBeCloseTo(repay, 9);
    expect(l?.seized.WETH).toBeCloseTo(seize, 12);
    expect(l?.repaidUsd).toBeCloseTo(repay, 9);
    expect(l?.seizedUsd).toBeCloseTo(seize * ETH, 9);
    expect(report.rounds[0]?.soldUsd).toBeCloseTo((seize - (seize - seize / 1.01) * 0.1) * ETH, 9);
  });
});
