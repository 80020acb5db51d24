import { describe, expect, it } from "vitest";
import { generateBook } from "../../../bench/generateBook.js";
import { buildCollateralGraph } from "../../../src/core/graph/buildCollateralGraph.js";
import { liquidationPrice } from "../../../src/core/graph/liquidationPrice.js";
import { positionTerms } from "../../../src/core/graph/positionTerms.js";
import { type MarketData, type PositionData, snapshotSchema } from "../../../src/core/snapshot/schema.js";

const seed = Number(process.env.SEED ?? 3);
const snapshot = snapshotSchema.parse(generateBook({ positions: 3000, seed }));
const markets = new Map(snapshot.markets.map((m) => [m.id, m]));
const basePrices = new Map(snapshot.assets.map((a) => [a.id, a.priceUsd]));
// The book's links: wstETH follows WETH and cbBTC follows WBTC, both at beta 1.
const followersOf: Record<string, string[]> = { WETH: ["wstETH"], WBTC: ["cbBTC"] };

/** Health ratio written out from the model, independently of the graph code. */
function healthRatio(position: PositionData, market: MarketData, price: (asset: string) => number): number {
  let weighted = 0;
  for (const [asset, amount] of Object.entries(position.collateral)) {
    let weight = 0;
    if (market.protocol === "aave-v3") {
      const category = (position.emode ?? 0) > 0 ? market.emodes[String(position.emode)] : undefined;
      weight = category?.assets.includes(asset)
        ? category.liquidationThreshold
        : (market.reserves[asset]?.liquidationThreshold ?? 0);
    } else if (market.protocol === "morpho-blue") weight = market.lltv;
    else if (market.protocol === "compound-v3")
      weight = market.collaterals[asset]?.liquidateCollateralFactor ?? 0;
    weighted += amount * price(asset) * weight;
  }
  let debt = 0;
  for (const [asset, amount] of Object.entries(position.debt)) debt += amount * price(asset);
  return weighted / debt;
}

describe("liquidation prices on a generated book", () => {
  it("put every holder at health ratio 1 exactly at its liquidation price (followers moving along)", () => {
    let checked = 0;
    for (const asset of ["WETH", "WBTC", "wstETH", "LINK"]) {
      const betas = new Map([[asset, 1], ...(followersOf[asset] ?? []).map((f): [string, number] => [f, 1])]);
      for (const position of snapshot.positions) {
        if (!((position.collateral[asset] ?? 0) > 0)) continue;
        const market = markets.get(position.market)!;
        const at = liquidationPrice(positionTerms(position, market), asset, basePrices, betas);
        if (at.kind !== "below") continue;
        const ratio = at.priceUsd / (basePrices.get(asset) ?? 1);
        const price = (a: string) => (basePrices.get(a) ?? 0) * (betas.has(a) ? ratio : 1);
        expect(healthRatio(position, market, price)).toBeCloseTo(1, 9);
        // Just below the price the position is liquidatable; just above it is not.
        const nudged = (f: number) => (a: string) => price(a) * (betas.has(a) ? f : 1);
        expect(healthRatio(position, market, nudged(1 - 1e-6))).toBeLessThan(1);
        expect(healthRatio(position, market, nudged(1 + 1e-6))).toBeGreaterThan(1);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it("accounts for every collateral holder once in its asset's histogram", () => {
    const graph = buildCollateralGraph(snapshot);
    for (const node of graph.assets) {
      const h = node.liquidationPrices;
      const counted = [...h.buckets, h.alreadyLiquidatable, h.notOnFall].reduce((s, b) => s + b.positions, 0);
      const holders = snapshot.positions.filter((p) => (p.collateral[node.asset] ?? 0) > 0).length;
      expect(counted, node.asset).toBe(holders);
      const collateralUsd = [...h.buckets, h.alreadyLiquidatable, h.notOnFall].reduce(
        (s, b) => s + b.collateralUsd,
        0,
      );
      expect(collateralUsd).toBeCloseTo(node.exposure.collateralUsd, 3);
    }
  });
});
