import { describe, expect, it } from "vitest";
import { compileBook } from "../../../src/core/book/compileBook.js";
import { arbitrageTo, buy, poolFromDepth, sell } from "../../../src/core/liquidity/constantProduct.js";
import { applyShockStep, applyTradeStep, initialPriceState } from "../../../src/core/liquidity/priceState.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import { assetFixture, poolAssetFixture, snapshotFixture } from "../../helpers/snapshotFixtures.js";

describe("constant-product pools", () => {
  it("sells with a fee: out = a(1-f) y / (x + a(1-f)), x += a, y -= out", () => {
    const x = 1000;
    const y = 3_000_000;
    const a = 50;
    const f = 0.003;
    const after = sell({ x, y }, a, f);
    const out = (a * 0.997 * y) / (x + a * 0.997);
    expect(after.outUsd).toBeCloseTo(out, 6);
    expect(after.x).toBe(1050);
    expect(after.y).toBeCloseTo(y - out, 6);
    // The price falls by more than the fee-less constant-product move would explain.
    expect(after.y / after.x).toBeLessThan(y / x);
  });

  it("buys: in = y b / ((x - b)(1-f)) and caps a buy above 0.99 x, flagging liquidityExhausted", () => {
    const small = buy({ x: 1000, y: 1000 }, 100, 0.01);
    expect(small.inUsd).toBeCloseTo((1000 * 100) / (900 * 0.99), 9);
    expect(small.liquidityExhausted).toBe(false);
    const huge = buy({ x: 1000, y: 1000 }, 2000, 0);
    expect(huge.liquidityExhausted).toBe(true);
    expect(huge.bought).toBeCloseTo(990, 12);
    expect(huge.x).toBeCloseTo(10, 9);
    expect(huge.inUsd).toBeCloseTo((1000 * 990) / 10, 6);
  });

  it("an arbitraged move keeps k and lands on the new price", () => {
    const moved = arbitrageTo({ x: 100, y: 300_000 }, 2400);
    expect(moved.x * moved.y).toBeCloseTo(100 * 300_000, 3);
    expect(moved.y / moved.x).toBeCloseTo(2400, 9);
    expect(moved.x).toBeCloseTo(Math.sqrt((100 * 300_000) / 2400), 12);
  });

  it("a depth liquidity is the pool that moves depthPct when depthUsd is sold", () => {
    const p = 3000;
    const { x, y } = poolFromDepth(p, 1_000_000, 0.02);
    expect(x).toBeCloseTo(1_000_000 / (p * (1 / Math.sqrt(0.98) - 1)), 9);
    expect(y / x).toBeCloseTo(p, 9);
    const after = sell({ x, y }, 1_000_000 / p, 0);
    expect(after.y / after.x).toBeCloseTo(p * 0.98, 6);
  });
});

describe("price steps", () => {
  it("a round's trades sell and buy through the pools and record liquidityExhausted", () => {
    const book = compileBook(
      parseSnapshot(
        snapshotFixture({
          assets: [
            poolAssetFixture("WETH", 3000, 100, 30),
            poolAssetFixture("USDC", 1, 1000),
            assetFixture("WBTC", 60_000),
          ],
        }),
      ),
    );
    const state = initialPriceState(book.assets);
    const net = new Float64Array(book.assets.count);
    const eth = book.assets.indexOf.get("WETH")!;
    const usd = book.assets.indexOf.get("USDC")!;
    net[eth] = 10;
    net[usd] = -5000;
    expect(applyTradeStep(book.assets, state, net, new Uint8Array(book.assets.count))).toBe(true);
    const out = (10 * 0.997 * 300_000) / (100 + 10 * 0.997);
    expect(state.priceUsd[eth]).toBeCloseTo((300_000 - out) / 110, 9);
    const inUsd = (1000 * 990) / (1000 - 990);
    expect(state.priceUsd[usd]).toBeCloseTo((1000 + inUsd) / 10, 6);
  });

  it("followers move in topological order, with beta, floored at 0, and a shocked follower multiplies", () => {
    // A <- B (beta 2) <- C (beta 0.5, shocked by -10%); D follows A with beta 5 (floored).
    const book = compileBook(
      parseSnapshot(
        snapshotFixture({
          assets: [
            poolAssetFixture("A", 100, 1000),
            assetFixture("C", 10, { follows: { asset: "B", beta: 0.5 } }),
            poolAssetFixture("B", 50, 2000, 0, { follows: { asset: "A", beta: 2 } }),
            assetFixture("D", 7, { follows: { asset: "A", beta: 5 } }),
            assetFixture("WETH", 3000),
            assetFixture("WBTC", 60_000),
            assetFixture("USDC", 1),
          ],
        }),
      ),
    );
    const state = initialPriceState(book.assets);
    const factors = new Float64Array(book.assets.count).fill(1);
    const at = (id: string) => book.assets.indexOf.get(id)!;
    factors[at("A")] = 0.7;
    factors[at("C")] = 0.9;
    applyShockStep(book.assets, state, factors);
    const priceA = 70;
    const priceB = 50 * (1 + 2 * (0.7 - 1)); // 0.4
    const priceC = 10 * 0.9 * (1 + 0.5 * (priceB / 50 - 1));
    expect(state.priceUsd[at("A")]).toBeCloseTo(priceA, 9);
    expect(state.priceUsd[at("B")]).toBeCloseTo(priceB, 9);
    expect(state.priceUsd[at("C")]).toBeCloseTo(priceC, 9);
    expect(state.priceUsd[at("D")]).toBe(0); // 1 + 5 * (0.7 - 1) < 0
    // B's pool was arbitraged to its new price, keeping k.
    const k = 2000 * 50 * 2000;
    expect(state.poolAsset[at("B")]! * state.poolQuote[at("B")]!).toBeCloseTo(k, 0);
    expect(state.poolQuote[at("B")]! / state.poolAsset[at("B")]!).toBeCloseTo(priceB, 9);
  });
});
