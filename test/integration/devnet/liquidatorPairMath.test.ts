import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UserInputError } from "../../../src/core/errors.js";
import { parseShockSpecs } from "../../../src/devnet/crash.js";
import {
  tradeForPriceRatio,
  uniswapAmountIn,
  uniswapAmountOut,
} from "../../../src/devnet/liquidator/pairMath.js";

const SEED = Number(process.env.SEED ?? 1);

describe("Uniswap V2 pair arithmetic of the devnet liquidator", () => {
  it("matches the pair's 0.3% fee formula on a worked example", () => {
    // 1 WETH into 100 WETH / 300,000 USDC: out = 997 * 300000 / (100000 + 997) = 2961.4741… USDC.
    const out = uniswapAmountOut(10n ** 18n, 100n * 10n ** 18n, 300_000n * 10n ** 6n);
    expect(out).toBe(
      (997n * 300_000n * 10n ** 6n * 10n ** 18n) / (100_000n * 10n ** 18n + 997n * 10n ** 18n),
    );
    expect(Number(out) / 1e6).toBeCloseTo(2961.4741, 4);
    // The input needed for exactly that output is the 1 WETH, less what the output's rounding down dropped.
    const back = uniswapAmountIn(out, 100n * 10n ** 18n, 300_000n * 10n ** 6n);
    expect(back).toBeLessThanOrEqual(10n ** 18n);
    expect(back).toBeGreaterThan(10n ** 18n - 10n ** 12n);
  });

  it("solves the trade that moves the spot price by any ratio, fee included", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 10n ** 20n, max: 10n ** 26n }),
        fc.bigInt({ min: 10n ** 12n, max: 10n ** 16n }),
        fc.double({ min: 0.05, max: 3, noNaN: true }),
        (reserveAsset, reserveQuote, ratio) => {
          fc.pre(Math.abs(ratio - 1) > 1e-6);
          const trade = tradeForPriceRatio(reserveAsset, reserveQuote, ratio);
          const [x, y] =
            trade.sell === "asset"
              ? [reserveAsset + trade.amountIn, reserveQuote - trade.amountOut]
              : [reserveAsset - trade.amountOut, reserveQuote + trade.amountIn];
          const before = Number(reserveQuote) / Number(reserveAsset);
          const after = Number(y) / Number(x);
          expect(Math.abs(after / before / ratio - 1)).toBeLessThan(1e-9);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe("--crash specs", () => {
  it("parses ASSET=FRACTION and refuses what is not a fall above -100% or a rise", () => {
    expect(parseShockSpecs(["WETH=-0.3", "WBTC=0.1"])).toEqual({ WETH: -0.3, WBTC: 0.1 });
    expect(() => parseShockSpecs(["WETH"])).toThrow(UserInputError);
    expect(() => parseShockSpecs(["WETH=-1"])).toThrow(/above -1/);
    expect(() => parseShockSpecs(["WETH=0"])).toThrow(/not 0/);
    expect(() => parseShockSpecs([])).toThrow(/at least one/);
  });
});
