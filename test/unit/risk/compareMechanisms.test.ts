import { describe, expect, it } from "vitest";
import { generateBook } from "../../../bench/generateBook.js";
import { compareMechanisms } from "../../../src/core/risk/compareMechanisms.js";
import { snapshotUnderMechanism } from "../../../src/core/risk/liquidationMechanisms.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import {
  AAVE_MARKET,
  aaveMarketFixture,
  MORPHO_MARKET,
  morphoMarketFixture,
  positionFixture,
  snapshotFixture,
} from "../../helpers/snapshotFixtures.js";

// WETH $3000 falls 20% to $2400 (infinite liquidity: no cascade).
// Aave (lt 0.8, bonus 5%): 0.75 WETH against 1,500 USDC, HF after the shock 1800·0.8/1500 = 0.96.
// Morpho (lltv 0.86): 10 WETH against 21,000 USDC, HF 24000·0.86/21000 = 0.983.
const snapshot = parseSnapshot(
  snapshotFixture({
    markets: [aaveMarketFixture(), morphoMarketFixture()],
    positions: [
      positionFixture(AAVE_MARKET, "0xa", { WETH: 0.75 }, { USDC: 1500 }),
      positionFixture(MORPHO_MARKET, "0xb", { WETH: 10 }, { USDC: 21_000 }),
    ],
  }),
);
const lif = (lt: number) => Math.min(1.15, 1 / (0.3 * lt + 0.7));

describe("compareMechanisms on a two-position book, by hand", () => {
  const comparison = compareMechanisms(snapshot, { WETH: -0.2 });
  const by = Object.fromEntries(comparison.mechanisms.map((m) => [m.mechanism, m]));

  it("Aave V3.0: half of each debt (HF 0.96 and 0.983 are above 0.95)", () => {
    const m = by["aave-v3.0"]!;
    expect(m.repaidUsd).toBeCloseTo(750 + 10_500, 9);
    // Seized: 750·1.05/2400 WETH of the Aave position and 10500·LIF(0.86)/2400 of the Morpho one.
    expect(m.soldUsd).toBeCloseTo(750 * 1.05 * (1 - (0.05 / 1.05) * 0.1) + 10_500 * lif(0.86), 6);
    expect(m.liquidations).toBe(2);
    expect(m.rounds).toBe(1);
  });

  it("Aave V3.3: the $1,800 position closes in full (below $2,000), the large one by half", () => {
    const m = by["aave-v3.3"]!;
    expect(m.repaidUsd).toBeCloseTo(1500 + 10_500, 9);
    expect(m.rounds).toBe(1);
  });

  it("Aave V4 (target HF 1.05, bonus from 80% of the maximum at HF 1 to all of it at 0.85)", () => {
    // The debt that restores HF 1.05: l = D (1.05 - HF) / (1.05 - lb cf), lb rising linearly as HF falls.
    const bonusAt = (maxBonus: number, hf: number) => {
      const min = 1 + maxBonus * 0.8;
      return min + (1 + maxBonus - min) * ((1 - hf) / (1 - 0.85));
    };
    const toTarget = (debt: number, hf: number, cf: number, lb: number) =>
      (debt * (1.05 - hf)) / (1.05 - lb * cf);
    // Aave position: HF 0.96, l ≈ $625 would leave $875 of debt, under the $1,000 dust: repaid whole.
    expect(toTarget(1500, 0.96, 0.8, bonusAt(0.05, 0.96))).toBeGreaterThan(1500 - 1000);
    // Morpho position: cf 0.86, maximum bonus LIF - 1; repaid to the target, the rest stays.
    const hf = (24_000 * 0.86) / 21_000;
    const morphoRepay = toTarget(21_000, hf, 0.86, bonusAt(lif(0.86) - 1, hf));
    const m = by["aave-v4"]!;
    expect(m.repaidUsd).toBeCloseTo(1500 + morphoRepay, 6);
    expect(m.liquidations).toBe(2); // the Morpho position is back at HF 1.05: no second round
    expect(m.rounds).toBe(1);
  });

  it("Morpho Blue: both close in full at their LIF", () => {
    const m = by["morpho-blue"]!;
    expect(m.repaidUsd).toBeCloseTo(1500 + 21_000, 9);
    expect(m.soldUsd).toBeCloseTo(1500 * lif(0.8) + 21_000 * lif(0.86), 6);
    expect(m.badDebtUsd).toBe(0);
    expect(m.amplification).toEqual({ WETH: 1 });
    expect(m.finalPriceChange.WETH).toBeCloseTo(-0.2, 12);
  });

  it("keeps the positions, and keeps a mechanism's own markets as they are", () => {
    const underMorpho = snapshotUnderMechanism(snapshot, "morpho-blue");
    expect(underMorpho.positions).toEqual(snapshot.positions);
    expect(underMorpho.markets.find((m) => m.id === MORPHO_MARKET)).toEqual(
      snapshot.markets.find((m) => m.id === MORPHO_MARKET),
    );
    const underAave = snapshotUnderMechanism(snapshot, "aave-v3.0");
    expect(underAave.markets.every((m) => m.protocol === "aave-v3")).toBe(true);
    expect(snapshotUnderMechanism(snapshot, "aave-v4").markets.every((m) => m.protocol === "aave-v4")).toBe(
      true,
    );
  });

  it("gives markets that are not V4 the V4 engine parameters the caller chooses, field by field", () => {
    const under = snapshotUnderMechanism(snapshot, "aave-v4", { targetHealthFactor: 1.2 });
    for (const m of under.markets)
      expect(m.protocol === "aave-v4" && [m.targetHealthFactor, m.healthFactorForMaxBonus]).toEqual([
        1.2, 0.85,
      ]);
    // A higher target repays more of the Morpho position (the Aave one is closed whole either way).
    const repaid = (v4Engine: { targetHealthFactor?: number }) =>
      compareMechanisms(snapshot, { WETH: -0.2 }, { mechanisms: ["aave-v4"], v4Engine }).mechanisms[0]!
        .repaidUsd;
    expect(repaid({ targetHealthFactor: 1.2 })).toBeGreaterThan(repaid({}));
  });

  it("runs every mechanism on a generated book with a cascade, Compound untouched", () => {
    const book = parseSnapshot(JSON.parse(JSON.stringify(generateBook({ positions: 400, seed: 3 }))));
    const result = compareMechanisms(book, { WETH: -0.25 });
    expect(result.mechanisms.map((m) => m.mechanism)).toEqual([
      "aave-v3.0",
      "aave-v3.3",
      "aave-v4",
      "morpho-blue",
    ]);
    for (const m of result.mechanisms) {
      expect(m.liquidations).toBeGreaterThan(0);
      expect(m.amplification.WETH).toBeGreaterThanOrEqual(1);
    }
    // Full closes sell more than close-factor liquidations.
    expect(result.mechanisms[3]!.soldUsd).toBeGreaterThan(result.mechanisms[0]!.soldUsd);
  });
});

describe("a V4 position's dynamicConfig under the other mechanisms", () => {
  // WETH $3000 -> $2400. Both positions: 10 WETH against 20,000 USDC. At the reserve's factor
  // 0.8 the health is 24000·0.8/20000 = 0.96 (liquidatable); the second position's own
  // configuration (factor 0.9, bonus 3%) gives 24000·0.9/20000 = 1.08 (healthy).
  const SPOKE = "aave-v4:1:0xspoke";
  const v4 = parseSnapshot({
    schema: "cascade-snapshot/2",
    source: { chainIds: [1], blocks: { "1": 1 }, takenAt: "2026-12-01T00:00:00Z" },
    assets: [
      { id: "USDC", priceUsd: 1, decimals: 6 },
      { id: "WETH", priceUsd: 3000, decimals: 18 },
    ],
    markets: [
      {
        id: SPOKE,
        protocol: "aave-v4",
        targetHealthFactor: 1.05,
        healthFactorForMaxBonus: 0.85,
        liquidationBonusFactor: 0.8,
        reserves: {
          WETH: { collateralFactor: 0.8, maxLiquidationBonus: 0.05, liquidationFee: 0.1 },
          USDC: { collateralFactor: 0.78, maxLiquidationBonus: 0.04, liquidationFee: 0.1 },
        },
      },
    ],
    positions: [
      { market: SPOKE, account: "0x1", collateral: { WETH: 10 }, debt: { USDC: 20_000 } },
      {
        market: SPOKE,
        account: "0x2",
        collateral: { WETH: 10 },
        debt: { USDC: 20_000 },
        dynamicConfig: { WETH: { collateralFactor: 0.9, maxLiquidationBonus: 0.03 } },
      },
    ],
  });

  it("moves the configured position to a spoke of its own that carries its configuration", () => {
    const underAave = snapshotUnderMechanism(v4, "aave-v3.0");
    expect(underAave.markets.map((m) => m.id)).toEqual([SPOKE, `${SPOKE}#1`]);
    const own = underAave.markets[1]!;
    expect(own.protocol === "aave-v3" && own.reserves.WETH).toMatchObject({
      liquidationThreshold: 0.9,
      liquidationBonus: 0.03,
      protocolFee: 0.1,
    });
    expect(underAave.positions.map((p) => p.market)).toEqual([SPOKE, `${SPOKE}#1`]);
    expect(underAave.positions[1]!.dynamicConfig).toBeUndefined();
    // Under V4 itself nothing moves.
    expect(snapshotUnderMechanism(v4, "aave-v4").positions).toEqual(v4.positions);
  });

  it("liquidates only the position its own factors make liquidatable, under every mechanism", () => {
    for (const m of compareMechanisms(v4, { WETH: -0.2 }).mechanisms) {
      expect({ mechanism: m.mechanism, liquidations: m.liquidations }).toEqual({
        mechanism: m.mechanism,
        liquidations: 1,
      });
    }
    // Aave V3.0 (HF 0.96 > 0.95: half the debt) repays exactly half of the one position's debt.
    const v30 = compareMechanisms(v4, { WETH: -0.2 }, { mechanisms: ["aave-v3.0"] }).mechanisms[0]!;
    expect(v30.repaidUsd).toBeCloseTo(10_000, 9);
  });
});
