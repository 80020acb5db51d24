import { describe, expect, it } from "vitest";
import { leverageClustering } from "../../../src/core/risk/leverageClustering.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import {
  AAVE_MARKET,
  assetFixture,
  MORPHO_MARKET,
  poolAssetFixture,
  positionFixture,
  snapshotFixture,
} from "../../helpers/snapshotFixtures.js";
import { lonePositionsSnapshot } from "./riskFixtures.js";

describe("leverageClustering", () => {
  it("puts each position in the bucket of its liquidation price, direct = cascade without price impact", () => {
    const snapshot = parseSnapshot(
      lonePositionsSnapshot([
        { asset: "WETH", priceUsd: 3000, debtUsd: 50_000, liquidationShock: -0.05 },
        { asset: "WBTC", priceUsd: 60_000, debtUsd: 10_000, liquidationShock: -0.05 },
      ]),
    );
    const c = leverageClustering(snapshot, "WETH", { step: 0.02, maxDrop: 0.1 });
    expect(c.buckets.map((b) => [b.dropFrom, b.dropTo])).toEqual([
      [0, 0.02],
      [0.02, 0.04],
      [0.04, 0.06],
      [0.06, 0.08],
      [0.08, 0.1],
    ]);
    expect(c.buckets[2]!.direct).toEqual({ positions: 1, debtUsd: 50_000 });
    expect(c.buckets[2]!.cascade).toEqual({ positions: 1, debtUsd: 50_000 });
    expect(c.buckets[2]!.priceFromUsd).toBeCloseTo(2820, 9);
    expect(c.buckets[2]!.priceToUsd).toBeCloseTo(2880, 9);
    expect(c.buckets.filter((b) => b.direct.positions > 0)).toHaveLength(1);
    // The WBTC position does not move with WETH.
    expect(c.beyond.direct).toEqual({ positions: 1, debtUsd: 10_000 });
  });

  it("moves positions that the cascade reaches into the bucket of the fall that starts it", () => {
    // Aave: 10 WETH against $23,000; its sale into a
    // thin pool tips the Morpho position, which on its own would need a 12% fall.
    const snapshot = parseSnapshot(
      snapshotFixture({
        assets: [
          poolAssetFixture("WETH", 3000, 60, 30),
          assetFixture("USDC", 1),
          assetFixture("WBTC", 60_000),
        ],
        positions: [
          positionFixture(AAVE_MARKET, "0xa", { WETH: 10 }, { USDC: 23_000 }),
          positionFixture(MORPHO_MARKET, "0xm", { WETH: 1 }, { USDC: 3000 * 0.87 * 0.86 }),
        ],
      }),
    );
    const c = leverageClustering(snapshot, "WETH", { step: 0.02, maxDrop: 0.2 });
    // Aave: 23000 / (0.8 · 10 · 3000) = 0.958 → a fall over 4.2% liquidates it: bucket [0.04, 0.06).
    expect(c.buckets[2]!.direct.positions).toBe(1);
    // Morpho alone needs a fall over 13%: bucket [0.12, 0.14); with the cascade it goes with Aave.
    expect(c.buckets[6]!.direct).toEqual({ positions: 1, debtUsd: 3000 * 0.87 * 0.86 });
    expect(c.buckets[2]!.cascade).toEqual({ positions: 2, debtUsd: 23_000 + 3000 * 0.87 * 0.86 });
    expect(c.buckets.reduce((n, b) => n + b.cascade.positions, 0)).toBe(2);
  });
});
