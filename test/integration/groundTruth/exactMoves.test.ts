/**
 * The two integer pieces that make the devnet realize the model exactly: the fee-free,
 * k-preserving follow move of a Uniswap V2 pair, and Aave V3.6's integer dust check.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aaveDustSafeRepay, leavesNoDust } from "../../../src/devnet/liquidator/aaveDustSafeRepay.js";
import { followMove } from "../../../src/devnet/liquidator/followMoveMath.js";

const SEED = Number(process.env.SEED ?? 1);

describe("followMove: burn, donate, sync", () => {
  it("moves 2,000 wstETH / 7.2M USDC to 80% of its price keeping k (hand-computed)", () => {
    const x = 2000n * 10n ** 18n;
    const y = 7_200_000n * 10n ** 6n;
    const supply = 3_794_733_192_202_055n; // any LP supply: the burn is a share of it
    const move = followMove(x, y, supply, 0.8)!;
    // Price 3600 → 2880: x' = sqrt(k / p') = 2000 sqrt(1.25) = 2236.0679…, y' = 7.2M sqrt(0.8) = 6,439,875.77…
    expect(move.donate).toBe("asset");
    expect(Number(move.reserveQuote) / 1e6).toBeCloseTo(7_200_000 * Math.sqrt(0.8), 0);
    expect(Number(move.reserveAsset) / 1e18).toBeCloseTo(2000 * Math.sqrt(1.25), 6);
    const price = Number(move.reserveQuote) / 1e6 / (Number(move.reserveAsset) / 1e18);
    expect(Math.abs(price / 2880 - 1)).toBeLessThan(1e-12);
    const k = (Number(move.reserveAsset) * Number(move.reserveQuote)) / (Number(x) * Number(y));
    expect(Math.abs(k - 1)).toBeLessThan(1e-6 / 7.2e6 + 1e-12);
    // The burn is the share 1 − y'/y of the liquidity, rounded down.
    expect(Number(move.burnLiquidity) / Number(supply)).toBeCloseTo(1 - Math.sqrt(0.8), 12);
  });

  it("keeps k to the burn's rounding and hits the price, up or down (property)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 10n ** 20n, max: 10n ** 25n }),
        fc.bigInt({ min: 10n ** 10n, max: 10n ** 14n }),
        fc.double({ min: 0.05, max: 3, noNaN: true }),
        (x, y, ratio) => {
          const supply = 10n ** 18n;
          const move = followMove(x, y, supply, ratio);
          if (move === undefined) return Math.abs(ratio - 1) < 1e-12;
          const before = Number(y) / Number(x);
          const after = Number(move.reserveQuote) / Number(move.reserveAsset);
          // One unit of the donated side (the price's resolution) and of the kept side (the burn
          // pays out rounded down), each relative to its reserve.
          const unit = 1 / Number(move.donate === "asset" ? move.reserveAsset : move.reserveQuote);
          const keptUnit = 1 / Number(move.donate === "asset" ? move.reserveQuote : move.reserveAsset);
          const k = (Number(move.reserveAsset) * Number(move.reserveQuote)) / (Number(x) * Number(y));
          return (
            Math.abs(after / (before * ratio) - 1) <= unit + 1e-12 &&
            Math.abs(k - 1) <= unit + 2 * keptUnit + 2 / Number(supply) + 1e-12
          );
        },
      ),
      { seed: SEED, numRuns: 500 },
    );
  });
});

describe("aaveDustSafeRepay: V3.6's integer dust check", () => {
  // 0.03426952 WBTC at $58,611.28716725 ($2,008.60) against 2,299.651844 USDC, 5% bonus: the model's
  // dust-limited repay is (2,008.60 − 1,000) / 1.05 = $960.55; the contract floors the base collateral
  // and rounds the bonus half up, so the exact model repay would leave a few satoshis under $1,000.
  const input = {
    borrowerDebtWei: 2_299_651_844n,
    borrowerCollateralWei: 3_426_952n,
    debtPriceE8: 100_000_000n,
    collateralPriceE8: 5_861_128_716_725n,
    debtDecimals: 6,
    collateralDecimals: 8,
    liquidationBonusBps: 10_500n,
  };
  const collateralUsd = (3_426_952 / 1e8) * 58_611.28716725;
  const modelRepayWei = BigInt(Math.floor(((collateralUsd - 1000) / 1.05) * 1e6));

  it("lowers the model's repay by less than one satoshi's worth so the contract accepts it", () => {
    expect(leavesNoDust({ ...input, desiredWei: modelRepayWei }, modelRepayWei)).toBe(false);
    const repay = aaveDustSafeRepay({ ...input, desiredWei: modelRepayWei });
    expect(leavesNoDust({ ...input, desiredWei: modelRepayWei }, repay)).toBe(true);
    expect(leavesNoDust({ ...input, desiredWei: modelRepayWei }, repay + 1n)).toBe(false);
    // One satoshi is worth $0.000586; the bonus-inclusive seize moves 1.05 × repay.
    const satoshiOfRepayWei = (0.00058611 / 1.05) * 1e6;
    expect(Number(modelRepayWei - repay)).toBeLessThanOrEqual(2 * satoshiOfRepayWei);
    expect(Number(modelRepayWei - repay) / Number(modelRepayWei)).toBeLessThan(1e-6);
  });

  it("keeps a repay that already leaves enough", () => {
    const smaller = modelRepayWei - 10_000n;
    expect(aaveDustSafeRepay({ ...input, desiredWei: smaller })).toBe(smaller);
  });
});
