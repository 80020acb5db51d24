import { describe, expect, it } from "vitest";
import {
  DEFAULT_AAVE_EMODE,
  DEFAULT_AAVE_RESERVES,
  MAINNET_AAVE_EMODE,
  MAINNET_BORROW_ONLY,
} from "../../../src/devnet/aave/defaultAaveParams.js";
import { DEFAULT_MORPHO_MARKETS } from "../../../src/devnet/morpho/deployMorphoBlue.js";
import {
  mainnetWhaleSizes,
  type PlanMainnetPositionsInput,
  planMainnetPositions,
  SMALL_COLLATERAL_USD,
} from "../../../src/devnet/seed/planMainnetPositions.js";
import { planPositions } from "../../../src/devnet/seed/planPositions.js";
import type { PlanPositionsInput } from "../../../src/devnet/seed/positionDraws.js";
import type { AavePositionPlan, MorphoPositionPlan } from "../../../src/devnet/seed/positionPlan.js";
import { MAINNET_UNISWAP_V3_POOLS } from "../../../src/devnet/uniswap/mainnetUniswapV3Pools.js";
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

describe("planMainnetPositions (the mainnet profile's book)", () => {
  const seed = devnetTestSeed();
  const prices: Record<string, number> = { WETH: 3000, WBTC: 60_000, wstETH: 3600, USDC: 1 };
  const decimals: Record<string, number> = { WETH: 18, WBTC: 8, wstETH: 18, USDC: 6 };
  const whaleSizes = mainnetWhaleSizes(MAINNET_UNISWAP_V3_POOLS);
  const mainnetInput = (s: number, positions: number): PlanMainnetPositionsInput => ({
    ...input(s, positions),
    aaveBorrowOnly: MAINNET_BORROW_ONLY,
    aaveEmode: MAINNET_AAVE_EMODE,
    whaleCollateralUsd: whaleSizes,
  });
  const plans = planMainnetPositions(mainnetInput(seed, 5000));
  const usd = (asset: string, wei: bigint): number => (Number(wei) / 10 ** decimals[asset]!) * prices[asset]!;
  const rows = plans.map((plan) => {
    if (plan.protocol === "aave-v3") {
      const aave = plan as AavePositionPlan;
      return {
        plan,
        loop: aave.emode !== 0,
        againstStable: aave.debt.asset === "USDC" && aave.collateral.every((c) => c.asset !== "USDC"),
        borrowOnly: aave.market === "aave-v3.0" && aave.debt.asset === "USDC",
        collateralUsd: aave.collateral.reduce((sum, c) => sum + usd(c.asset, c.amountWei), 0),
        debtUsd: usd(aave.debt.asset, aave.debt.amountWei),
        collateralAsset: aave.collateral[0]!.asset,
        maxBonus:
          Math.max(...aave.collateral.map((c) => DEFAULT_AAVE_RESERVES[c.asset]!.liquidationBonusBps)) / 1e4,
      };
    }
    const morpho = plan as MorphoPositionPlan;
    const market = DEFAULT_MORPHO_MARKETS[morpho.marketIndex]!;
    return {
      plan,
      loop: market.collateral === "wstETH" && market.loan === "WETH",
      againstStable: market.loan === "USDC",
      borrowOnly: false,
      collateralUsd: usd(market.collateral, morpho.collateralWei),
      debtUsd: usd(market.loan, morpho.debtWei),
      collateralAsset: market.collateral,
      // Morpho's liquidation incentive factor: min(1.15, 1 / (0.3 × LLTV + 0.7)).
      maxBonus: Math.min(1.15, 1 / (0.3 * market.lltv + 0.7)),
    };
  });
  const debtOf = (selected: typeof rows): number => selected.reduce((sum, row) => sum + row.debtUsd, 0);
  const totalDebt = debtOf(rows);

  it("is a pure function of the seed, with one account per position", () => {
    expect(planMainnetPositions(mainnetInput(seed, 300))).toEqual(plans.slice(0, 300));
    expect(planMainnetPositions(mainnetInput(seed + 1, 300))).not.toEqual(plans.slice(0, 300));
    expect(new Set(plans.map((plan) => plan.account)).size).toBe(plans.length);
  });

  it("puts most debt in wstETH/WETH loops and ETH/BTC against USDC, loops carrying the largest share", () => {
    const loops = debtOf(rows.filter((row) => row.loop)) / totalDebt;
    const stable = debtOf(rows.filter((row) => row.againstStable)) / totalDebt;
    expect(loops + stable).toBeGreaterThan(0.97);
    expect(loops).toBeGreaterThan(stable);
    expect(loops).toBeGreaterThan(0.4);
    // Loops are a third of the positions or less: they carry the debt by size and leverage.
    expect(rows.filter((row) => row.loop).length / rows.length).toBeLessThan(0.35);
  });

  it("holds a share of small positions whose liquidation a $50 gas cost does not pay", () => {
    const small = rows.filter((row) => row.collateralUsd <= SMALL_COLLATERAL_USD[1]);
    expect(small.length / rows.length).toBeGreaterThan(0.15);
    expect(small.length / rows.length).toBeLessThan(0.25);
    for (const row of small) {
      expect(row.collateralUsd).toBeGreaterThanOrEqual(SMALL_COLLATERAL_USD[0] * 0.999);
      // Even seizing every unit of collateral at the highest bonus earns less than the gas.
      expect(row.collateralUsd * (row.maxBonus - 1)).toBeLessThan(50);
      expect(row.againstStable).toBe(true);
    }
  });

  it("borrows the borrow-only reserve (USDC in Aave V3.0) and never holds it as collateral there", () => {
    const borrowOnly = rows.filter((row) => row.borrowOnly);
    expect(borrowOnly.length / rows.length).toBeGreaterThan(0.08);
    for (const plan of plans)
      if (plan.protocol === "aave-v3" && plan.market === "aave-v3.0")
        expect(plan.collateral.map((c) => c.asset)).not.toContain("USDC");
  });

  it("has a few whales sized by the pools: a stable whale's close-factor seizure outweighs every WETH/USDC range but the deepest", () => {
    const wethRanges = MAINNET_UNISWAP_V3_POOLS.find((p) => p.asset === "WETH")!.ranges.map(
      (r) => r.valueUsd,
    );
    const deepest = Math.max(...wethRanges);
    const others = Math.max(...wethRanges.filter((value) => value !== deepest));
    const lstDeepest = Math.max(
      ...MAINNET_UNISWAP_V3_POOLS.find((p) => p.asset === "wstETH")!.ranges.map((r) => r.valueUsd),
    );
    const whales = rows.filter((row) => row.plan.whale);
    expect(whales.length).toBeGreaterThan(20);
    expect(whales.length).toBeLessThan(90);
    const stable = whales.filter((row) => !row.loop);
    expect(stable.length).toBeGreaterThan(5);
    for (const row of stable) {
      expect(row.collateralAsset).toBe("WETH");
      expect(row.collateralUsd).toBeGreaterThanOrEqual(deepest * 0.999);
      expect(row.collateralUsd).toBeLessThanOrEqual(2 * deepest);
      expect(0.5 * row.debtUsd * row.maxBonus).toBeGreaterThan(others);
      // Healthy enough that ETH -20% alone does not reach it.
      expect(row.plan.healthFactor * 0.8).toBeGreaterThan(1);
    }
    for (const row of whales.filter((w) => w.loop)) {
      expect(row.collateralUsd).toBeGreaterThanOrEqual(lstDeepest * 0.999);
      expect(row.collateralUsd).toBeLessThanOrEqual(2 * lstDeepest);
    }
    // The body stays far below the whales.
    expect(Math.max(...rows.filter((row) => !row.plan.whale).map((row) => row.collateralUsd))).toBeLessThan(
      deepest,
    );
  });

  it("never plans a borrow above the LTV", () => {
    for (const plan of plans) {
      if (plan.protocol !== "aave-v3") {
        expect(plan.healthFactor).toBeGreaterThan(1);
        continue;
      }
      const aave = plan as AavePositionPlan;
      const ratio = (asset: string): number => {
        if (aave.emode !== 0) return MAINNET_AAVE_EMODE.liquidationThresholdBps / MAINNET_AAVE_EMODE.ltvBps;
        const reserve = DEFAULT_AAVE_RESERVES[asset];
        return (reserve?.liquidationThresholdBps ?? 0) / (reserve?.ltvBps ?? 1);
      };
      expect(aave.healthFactor).toBeGreaterThan(
        Math.min(...aave.collateral.map((entry) => ratio(entry.asset))),
      );
      expect(aave.debt.amountWei).toBeGreaterThan(0n);
    }
  });
});
