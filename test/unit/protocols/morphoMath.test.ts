import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  accrueBorrowAssets,
  oraclePriceToRatio,
  toAssetsDown,
  toAssetsUp,
  wTaylorCompounded,
} from "../../../src/adapters/protocols/morpho-blue/morphoMath.js";

const SEED = Number(process.env.SEED ?? 42);

describe("Morpho Blue share math", () => {
  it("rounds borrow shares up with one virtual asset and a million virtual shares", () => {
    // 1e6 shares of a market holding 999 assets for 1e9 shares: 1e6 × 1000 / (1e9 + 1e6) = 0.999…, up → 1.
    expect(toAssetsUp(1_000_000n, 999n, 1_000_000_000n)).toBe(1n);
    expect(toAssetsDown(1_000_000n, 999n, 1_000_000_000n)).toBe(0n);
    // Exact division stays exact: 2e6 shares, totals 1999 assets / 2e9 - 1e6 shares → 2e6 × 2000 / 2e9 = 2.
    expect(toAssetsUp(2_000_000n, 1999n, 1_999_000_000n)).toBe(2n);
    expect(toAssetsUp(0n, 10n ** 24n, 10n ** 30n)).toBe(0n);
  });

  it("up and down differ by at most one unit and up is the ceiling of the exact ratio", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        fc.bigInt({ min: 0n, max: 10n ** 27n }),
        fc.bigInt({ min: 0n, max: 10n ** 33n }),
        (shares, totalAssets, totalShares) => {
          const up = toAssetsUp(shares, totalAssets, totalShares);
          const down = toAssetsDown(shares, totalAssets, totalShares);
          const numerator = shares * (totalAssets + 1n);
          const denominator = totalShares + 1_000_000n;
          expect(up - down).toBeLessThanOrEqual(1n);
          expect(up * denominator).toBeGreaterThanOrEqual(numerator);
          expect((up - 1n) * denominator).toBeLessThan(numerator === 0n ? 1n : numerator);
        },
      ),
      { seed: SEED, numRuns: 500 },
    );
  });

  it("accrues interest with the contract's three-term Taylor expansion, rounded down", () => {
    // 1e-9 per second (WAD) for one year.
    const rate = 10n ** 9n;
    const elapsed = 31_536_000n;
    const x = rate * elapsed; // 0.031536 WAD
    const wad = 10n ** 18n;
    const second = (x * x) / (2n * wad);
    const third = (second * x) / (3n * wad);
    expect(wTaylorCompounded(rate, elapsed)).toBe(x + second + third);
    const total = 1_000_000n * 10n ** 6n;
    expect(accrueBorrowAssets(total, rate, elapsed)).toBe(total + (total * (x + second + third)) / wad);
    expect(accrueBorrowAssets(total, 0n, elapsed)).toBe(total);
    expect(accrueBorrowAssets(total, rate, 0n)).toBe(total);
  });

  it("turns an oracle price (1e36 scale with the decimals gap) into loan units per collateral unit", () => {
    // WETH (18) priced in USDC (6) at 3000: 3000 × 1e36 × 1e6 / 1e18.
    expect(oraclePriceToRatio(3000n * 10n ** 24n, 6, 18)).toBe(3000);
    // WBTC (8) in USDC (6) at 60000: 60000 × 1e36 × 1e6 / 1e8.
    expect(oraclePriceToRatio(60_000n * 10n ** 34n, 6, 8)).toBe(60000);
    // 3.5 wstETH per WETH-loan unit plus one wei: the nearest float to the exact decimal.
    expect(oraclePriceToRatio(3_500_000_000_000_000_001n * 10n ** 18n, 18, 18)).toBe(
      Number("3.500000000000000001"),
    );
  });
});
