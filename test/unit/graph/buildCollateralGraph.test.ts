import { describe, expect, it } from "vitest";
import {
  assetNode,
  buildCollateralGraph,
  sharedAssets,
} from "../../../src/core/graph/buildCollateralGraph.js";
import type { AssetNode, LiquidationHistogram } from "../../../src/core/graph/collateralGraph.js";
import { AAVE, COMET, graphFixture, MORPHO_ETH, MORPHO_LOOP } from "./graphFixture.js";

const graph = buildCollateralGraph(graphFixture());
const node = (asset: string): AssetNode => {
  const found = assetNode(graph, asset);
  if (found === undefined) throw new Error(`no node ${asset}`);
  return found;
};

/** The non-empty buckets as [bucket index, positions, collateralUsd, debtUsd]. */
function filled(histogram: LiquidationHistogram): [number, number, number, number][] {
  return histogram.buckets
    .map((b, k): [number, number, number, number] => [k, b.positions, b.collateralUsd, b.debtUsd])
    .filter(([, positions]) => positions > 0);
}
const bucketOf = (liquidationPriceUsd: number, priceUsd: number, step = 0.01): number =>
  Math.floor((1 - liquidationPriceUsd / priceUsd) / step);

describe("buildCollateralGraph: exposure", () => {
  it("sums WETH collateral and debt by protocol and by market at snapshot prices", () => {
    const weth = node("WETH").exposure;
    // Aave collateral: p1 10, p2 5, p8 1, p9 5 WETH; debt: p3 10, p7 3.2, p9 9 WETH.
    expect(weth.byProtocol["aave-v3"]?.collateralUsd).toBeCloseTo((10 + 5 + 1 + 5) * 2000, 9);
    expect(weth.byProtocol["aave-v3"]?.debtUsd).toBeCloseTo((10 + 3.2 + 9) * 2000, 9);
    // p9 holds WETH on both sides and counts once.
    expect(weth.byProtocol["aave-v3"]?.positions).toBe(6);
    expect(weth.byMarket[MORPHO_ETH as never]).toEqual({
      protocol: "morpho-blue",
      positions: 1,
      collateralUsd: 6000,
      debtUsd: 0,
    });
    expect(weth.byMarket[MORPHO_LOOP as never]?.debtUsd).toBeCloseTo(1.1 * 2000, 9);
    expect(weth.byProtocol["compound-v3"]).toEqual({ positions: 2, collateralUsd: 6000, debtUsd: 0 });
    expect(weth.collateralUsd).toBeCloseTo((21 + 3 + 3) * 2000, 9);
    expect(weth.debtUsd).toBeCloseTo((22.2 + 1.1) * 2000, 9);
    expect(weth.positions).toBe(10);
    expect(Object.keys(weth.byMarket)).toEqual([AAVE, COMET, MORPHO_ETH, MORPHO_LOOP].sort());
  });

  it("counts USDC debt of every protocol", () => {
    const usdc = node("USDC").exposure;
    expect(usdc.debtUsd).toBeCloseTo(12100 + 10000 + 4000 + 3000 + 5100 + 1800, 9);
    expect(usdc.collateralUsd).toBe(10000);
    expect(usdc.byProtocol["morpho-blue"]).toEqual({ positions: 1, collateralUsd: 0, debtUsd: 4000 });
  });
});

describe("buildCollateralGraph: shared assets and links", () => {
  it("lists the markets and protocols naming each asset", () => {
    expect(node("WETH").markets).toEqual(
      [
        { market: AAVE, protocol: "aave-v3", role: "reserve" },
        { market: COMET, protocol: "compound-v3", role: "collateral" },
        { market: MORPHO_ETH, protocol: "morpho-blue", role: "collateral" },
        { market: MORPHO_LOOP, protocol: "morpho-blue", role: "loan" },
      ].sort((a, b) => (a.market < b.market ? -1 : 1)),
    );
    expect(node("WETH").protocols).toEqual(["aave-v3", "morpho-blue", "compound-v3"]);
    expect(
      node("USDC")
        .markets.map((m) => m.role)
        .sort(),
    ).toEqual(["base", "loan", "reserve"]);
    expect(sharedAssets(graph).map((n) => n.asset)).toEqual(["WETH", "wstETH", "USDC"]);
  });

  it("follows leaders transitively with multiplied betas", () => {
    expect(node("XLST").leaders).toEqual([
      { asset: "wstETH", beta: 0.5 },
      { asset: "WETH", beta: 0.5 },
    ]);
    expect(node("WETH").followers).toEqual([
      { asset: "XLST", beta: 0.5 },
      { asset: "wstETH", beta: 1 },
    ]);
    expect(node("wstETH").leaders).toEqual([{ asset: "WETH", beta: 1 }]);
    expect(node("WBTC").leaders).toEqual([]);
    expect(node("WBTC").followers).toEqual([]);
  });
});

describe("buildCollateralGraph: liquidation prices of WETH", () => {
  const histogram = node("WETH").liquidationPrices;

  it("buckets each WETH holder at the WETH price that makes it liquidatable", () => {
    const p1 = 12100 / (10 * 0.8);
    const p2 = (10000 - 0.2 * 50000 * 0.7) / (5 * 0.8);
    const p4 = 4000 / (3 * 0.86);
    const p6 = 3000 / (2 * 0.85);
    // p8: XLST moves at half WETH's rate: 1·p·0.8 + 10·1100·(1 + 0.5(p/2000 − 1))·0.5 = 5100.
    const p8 = (5100 - 10 * 1100 * 0.5 * 0.5) / (0.8 + (10 * 1100 * 0.5 * 0.5) / 2000);
    const expected: [number, number, number, number][] = [
      [bucketOf(p1, 2000), 1, 20000, 12100],
      [bucketOf(p2, 2000), 1, 10000, 10000],
      [bucketOf(p4, 2000), 1, 6000, 4000],
      [bucketOf(p6, 2000), 1, 4000, 3000],
      [bucketOf(p8, 2000), 1, 2000, 5100],
    ].sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0)) as [number, number, number, number][];
    expect(filled(histogram)).toEqual(expected);
    expect(expected.map(([k]) => k)).toEqual([11, 22, 24, 45, 62]);
  });

  it("puts already-liquidatable and never-by-a-fall holders apart", () => {
    // p10 (Compound) is under water at snapshot prices; p9's sides move together with WETH.
    expect(histogram.alreadyLiquidatable).toEqual({ positions: 1, collateralUsd: 2000, debtUsd: 1800 });
    expect(histogram.notOnFall).toEqual({ positions: 1, collateralUsd: 10000, debtUsd: 18000 });
  });

  it("labels buckets with drops and USD prices", () => {
    expect(histogram.buckets).toHaveLength(100);
    const b24 = histogram.buckets[24];
    expect(b24?.dropFrom).toBe(0.24);
    expect(b24?.dropTo).toBe(0.25);
    expect(b24?.priceFromUsd).toBeCloseTo(1500, 9);
    expect(b24?.priceToUsd).toBeCloseTo(1520, 9);
  });
});

describe("buildCollateralGraph: liquidation prices of wstETH and XLST", () => {
  it("moves wstETH alone (and its followers), WETH fixed", () => {
    const histogram = node("wstETH").liquidationPrices;
    // p3 eMode: 10·q·0.9 = 10·2000; p9 eMode: 5·2000·0.9 + 5·q·0.9 = 9·2000.
    const p3 = (10 * 2000) / (10 * 0.9);
    const p9 = (9 * 2000 - 5 * 2000 * 0.9) / (5 * 0.9);
    expect(filled(histogram)).toEqual([
      [bucketOf(p3, 2400), 1, 24000, 20000],
      [bucketOf(p9, 2400), 1, 12000, 18000],
    ]);
    // p5 (Morpho): 2400·0.9 < 1.1·2000.
    expect(histogram.alreadyLiquidatable.positions).toBe(1);
    expect(histogram.alreadyLiquidatable.collateralUsd).toBe(2400);
  });

  it("moves a follower without its leader", () => {
    const histogram = node("XLST").liquidationPrices;
    const x = (5100 - 2000 * 0.8) / (10 * 0.5);
    expect(filled(histogram)).toEqual([[bucketOf(x, 1100), 1, 11000, 5100]]);
  });

  it("honours a custom bucket width", () => {
    const coarse = buildCollateralGraph(graphFixture(), { bucketStep: 0.05 });
    const weth = assetNode(coarse, "WETH")?.liquidationPrices;
    expect(weth?.buckets).toHaveLength(20);
    // p1 (1512.5, a 24.4% drop) and p4 (1550.4, a 22.5% drop) share the bucket [0.20, 0.25).
    expect(weth?.buckets[4]?.positions).toBe(2);
  });
});
