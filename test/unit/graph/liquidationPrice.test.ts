import { describe, expect, it } from "vitest";
import { liquidationPrice } from "../../../src/core/graph/liquidationPrice.js";
import { positionTerms } from "../../../src/core/graph/positionTerms.js";
import type { PositionData } from "../../../src/core/snapshot/schema.js";
import { graphFixture } from "./graphFixture.js";

const snapshot = graphFixture();
const aave = snapshot.markets[0]!;
const prices = new Map(snapshot.assets.map((a) => [a.id, a.priceUsd]));
const wethAlone = new Map([["WETH", 1]]);
const position = (
  collateral: Record<string, number>,
  debt: Record<string, number>,
  emode = 0,
): PositionData => ({
  market: aave.id,
  account: "0x1",
  collateral,
  debt,
  emode,
});

describe("liquidationPrice", () => {
  it("solves a position holding the asset on both sides", () => {
    // 10·p·0.8 = 2·p + 10000 → p = 10000 / 6.
    const terms = positionTerms(position({ WETH: 10 }, { WETH: 2, USDC: 10000 }), aave);
    const at = liquidationPrice(terms, "WETH", prices, wethAlone);
    expect(at.kind).toBe("below");
    if (at.kind === "below") expect(at.priceUsd).toBeCloseTo(10000 / 6, 9);
  });

  it("says a short position is not made liquidatable by a fall", () => {
    // 10000·0.75 + 1·p·0.8 − 3·p falls as p rises: it liquidates on a rise.
    const terms = positionTerms(position({ USDC: 10000, WETH: 1 }, { WETH: 3 }), aave);
    expect(liquidationPrice(terms, "WETH", prices, wethAlone)).toEqual({ kind: "notOnFall" });
  });

  it("says a debt-free position never liquidates", () => {
    const terms = positionTerms(position({ WETH: 1 }, {}), aave);
    expect(liquidationPrice(terms, "WETH", prices, wethAlone)).toEqual({ kind: "notOnFall" });
  });

  it("applies the eMode threshold only to the category's assets", () => {
    // eMode 1: WETH at 0.9, WBTC keeps its reserve 0.7: 1·p·0.9 + 0.02·50000·0.7 = 1500.
    const terms = positionTerms(position({ WETH: 1, WBTC: 0.02 }, { USDC: 1500 }, 1), aave);
    expect(terms.collateral.map((t) => t.weight)).toEqual([0.9, 0.7]);
    const at = liquidationPrice(terms, "WETH", prices, wethAlone);
    if (at.kind !== "below") throw new Error(`expected a price, got ${at.kind}`);
    expect(at.priceUsd).toBeCloseTo((1500 - 700) / 0.9, 9);
  });

  it("reports a position at exactly health factor 1 at the current price", () => {
    const terms = positionTerms(position({ WETH: 1 }, { USDC: 1600 }), aave);
    expect(liquidationPrice(terms, "WETH", prices, wethAlone)).toEqual({ kind: "below", priceUsd: 2000 });
  });
});
