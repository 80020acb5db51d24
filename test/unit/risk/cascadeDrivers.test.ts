import { describe, expect, it } from "vitest";
import { compileBook } from "../../../src/core/book/compileBook.js";
import { simulate } from "../../../src/core/propagator/simulate.js";
import { cascadeDrivers } from "../../../src/core/risk/cascadeDrivers.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import {
  AAVE_MARKET,
  assetFixture,
  COMPOUND_MARKET,
  MORPHO_MARKET,
  poolAssetFixture,
  positionFixture,
  snapshotFixture,
} from "../../helpers/snapshotFixtures.js";

// WETH: pool of 1000 WETH / $3M. WETH -10% ($2700) liquidates the Aave position in round 1;
// its sale moves WETH and tips the Morpho position in round 2, whose sale tips Compound in round 3.
const FEE = 0.003;
const sellInto = (pool: { x: number; y: number }, a: number) => {
  const out = (a * (1 - FEE) * pool.y) / (pool.x + a * (1 - FEE));
  return { x: pool.x + a, y: pool.y - out };
};
const k = 1000 * 3_000_000;
const p0 = 2700;
const pool0 = { x: Math.sqrt(k / p0), y: Math.sqrt(k * p0) };
const aaveSeize = (24_000 * 1.05) / p0;
const pool1 = sellInto(pool0, aaveSeize - (aaveSeize - aaveSeize / 1.05) * 0.1);
const p1 = pool1.y / pool1.x;
const lif = 1 / (0.3 * 0.86 + 0.7);
const morphoDebt = ((p0 + p1) / 2) * 0.86; // healthy at p0, not at p1
const pool2 = sellInto(pool1, Math.min(1, (morphoDebt * lif) / p1));
const p2 = pool2.y / pool2.x;
const compoundDebt = ((p1 + p2) / 2) * 0.83; // healthy at p1, not at p2
const snapshot = parseSnapshot(
  snapshotFixture({
    assets: [poolAssetFixture("WETH", 3000, 1000, 30), assetFixture("USDC", 1), assetFixture("WBTC", 60_000)],
    positions: [
      positionFixture(COMPOUND_MARKET, "0xc", { WETH: 1 }, { USDC: compoundDebt }),
      positionFixture(MORPHO_MARKET, "0xm", { WETH: 1 }, { USDC: morphoDebt }),
      positionFixture(AAVE_MARKET, "0xa", { WETH: 10 }, { USDC: 24_000 }),
      positionFixture(AAVE_MARKET, "0xb", { WBTC: 1 }, { USDC: 10_000 }),
    ],
  }),
);
const shock = { WETH: -0.1 };

describe("cascadeDrivers", () => {
  const baseline = simulate(compileBook(snapshot), shock);
  const drivers = cascadeDrivers(snapshot, shock, { topPositions: 5 });
  const repaidOf = (account: string) =>
    baseline.liquidations.filter((l) => l.account === account).reduce((s, l) => s + l.repaidUsd, 0);

  it("the cascade is the one described: Aave, then Morpho, then Compound", () => {
    expect(baseline.liquidations.map((l) => [l.round, l.account])).toEqual([
      [1, "0xa"],
      [2, "0xm"],
      [3, "0xc"],
    ]);
  });

  it("ranks the Aave position first: without it nothing is liquidated, and all it causes is in other protocols", () => {
    const first = drivers.positions[0]!;
    expect(first.account).toBe("0xa");
    expect(first.liquidatedDebtUsd).toBe(0);
    expect(first.liquidatedDebtReductionUsd).toBeCloseTo(baseline.totals.repaidUsd, 9);
    expect(first.othersLiquidatedDebtReductionUsd).toBeCloseTo(repaidOf("0xm") + repaidOf("0xc"), 9);
    expect(first.crossProtocolShare).toBeCloseTo(1, 12);
    // The Compound position is the cascade's end: removing it removes only itself.
    const last = drivers.positions.find((p) => p.account === "0xc")!;
    expect(last.othersLiquidatedDebtReductionUsd).toBeCloseTo(0, 9);
    expect(last.crossProtocolShare).toBeNull();
    // Only the liquidated positions are candidates.
    expect(drivers.positions.map((p) => p.account).sort()).toEqual(["0xa", "0xc", "0xm"]);
  });

  it("ranks markets the same way, and lists the seized collateral by asset", () => {
    expect(drivers.markets[0]!.market).toBe(AAVE_MARKET);
    const morpho = drivers.markets.find((m) => m.market === MORPHO_MARKET)!;
    expect(morpho.othersLiquidatedDebtReductionUsd).toBeCloseTo(repaidOf("0xc"), 9); // Morpho tips Compound
    expect(morpho.crossProtocolShare).toBeCloseTo(1, 12);
    expect(drivers.assets.map((a) => a.asset)).toEqual(["WETH"]);
    expect(drivers.assets[0]!.priceChange).toBeLessThan(-0.1);
    expect(drivers.baseline.liquidations).toBe(3);
  });
});
