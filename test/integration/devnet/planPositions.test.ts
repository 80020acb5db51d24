import { describe, expect, it } from "vitest";
import { DEFAULT_AAVE_EMODE, DEFAULT_AAVE_RESERVES } from "../../../src/devnet/aave/defaultAaveParams.js";
import { DEFAULT_MORPHO_MARKETS } from "../../../src/devnet/morpho/deployMorphoBlue.js";
import { type PlanPositionsInput, planPositions } from "../../../src/devnet/seed/planPositions.js";
import type { AavePositionPlan } from "../../../src/devnet/seed/positionPlan.js";
import { devnetTestSeed } from "../../helpers/devnet.js";

const input = (seed: number, positions: number): PlanPositionsInput => ({
  seed,
  positions,
  pricesUsd: { WETH: 3000, WBTC: 60_000, wstETH: 3600, USDC: 1 },
  decimals: { WETH: 18, WBTC: 8, wstETH: 18, USDC: 6 },
  aaveMarkets: ["aave-v3.0", "aave-v3.6"],
  aaveReserves: DEFAULT_AAVE_RESERVES,
  aaveEmode: DEFAULT_AAVE_EMODE,
  morphoMarkets: DEFAULT_MORPHO_MARKETS,
});

describe("planPositions", () => {
  const seed = devnetTestSeed();
  const plans = planPositions(input(seed, 5000));

  it("is a pure function of the seed", () => {
    expect(planPositions(input(seed, 300))).toEqual(plans.slice(0, 300));
    expect(planPositions(input(seed + 1, 300))).not.toEqual(plans.slice(0, 300));
    expect(new Set(plans.map((plan) => plan.account)).size).toBe(plans.length);
  });

  it("spreads the book over both Aave markets and Morpho, with whales, eMode loops and multi-collateral", () => {
    const count = (predicate: (plan: (typeof plans)[number]) => boolean): number =>
      plans.filter(predicate).length;
    for (const venue of ["aave-v3.0", "aave-v3.6"]) {
      const share = count((plan) => plan.protocol === "aave-v3" && plan.market === venue) / plans.length;
      expect(share).toBeGreaterThan(0.28);
      expect(share).toBeLessThan(0.39);
    }
    expect(count((plan) => plan.whale)).toBeGreaterThan(10);
    expect(
      count((plan) => plan.protocol === "aave-v3" && plan.emode === DEFAULT_AAVE_EMODE.id),
    ).toBeGreaterThan(200);
    expect(count((plan) => plan.protocol === "aave-v3" && plan.collateral.length > 1)).toBeGreaterThan(200);
    for (let index = 0; index < DEFAULT_MORPHO_MARKETS.length; index += 1) {
      expect(count((plan) => plan.protocol === "morpho-blue" && plan.marketIndex === index)).toBeGreaterThan(
        100,
      );
    }
  });

  it("clusters health factors, and never plans a borrow above the LTV", () => {
    const nearCluster = plans.filter((plan) => Math.abs(plan.healthFactor / 1.08 - 1) < 0.03).length;
    // The 1.08 cluster alone holds over 15% of the book; a uniform draw over 1.05-3 would put about 3% there.
    expect(nearCluster / plans.length).toBeGreaterThan(0.15);
    for (const plan of plans) {
      if (plan.protocol !== "aave-v3") {
        expect(plan.healthFactor).toBeGreaterThan(1);
        continue;
      }
      const aave = plan as AavePositionPlan;
      const ratio = (asset: string): number => {
        const reserve = DEFAULT_AAVE_RESERVES[asset];
        if (aave.emode !== 0) return DEFAULT_AAVE_EMODE.liquidationThresholdBps / DEFAULT_AAVE_EMODE.ltvBps;
        return (reserve?.liquidationThresholdBps ?? 0) / (reserve?.ltvBps ?? 1);
      };
      const minimum = Math.min(...aave.collateral.map((entry) => ratio(entry.asset)));
      expect(aave.healthFactor).toBeGreaterThan(minimum);
      expect(aave.debt.amountWei).toBeGreaterThan(0n);
    }
  });

  it("refuses a negative or fractional number of positions", () => {
    expect(() => planPositions(input(seed, -1))).toThrow(/positions must be a whole number/);
    expect(() => planPositions(input(seed, 1.5))).toThrow(/positions must be a whole number/);
  });
});
