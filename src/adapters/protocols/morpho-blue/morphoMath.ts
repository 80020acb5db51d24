/**
 * Morpho Blue's share and interest arithmetic, exactly as the contract rounds
 * (SharesMathLib, MathLib): virtual shares 1e6 and virtual assets 1 guard against inflation.
 */
import { formatUnits } from "viem";

export const WAD = 10n ** 18n;
export const VIRTUAL_SHARES = 10n ** 6n;
export const VIRTUAL_ASSETS = 1n;

export const mulDivDown = (x: bigint, y: bigint, d: bigint): bigint => (x * y) / d;
export const mulDivUp = (x: bigint, y: bigint, d: bigint): bigint => (x * y + (d - 1n)) / d;
export const wMulDown = (x: bigint, y: bigint): bigint => mulDivDown(x, y, WAD);

/** Borrow shares to assets, rounded up (what the borrower owes). */
export function toAssetsUp(shares: bigint, totalAssets: bigint, totalShares: bigint): bigint {
  return mulDivUp(shares, totalAssets + VIRTUAL_ASSETS, totalShares + VIRTUAL_SHARES);
}

/** Supply shares to assets, rounded down. */
export function toAssetsDown(shares: bigint, totalAssets: bigint, totalShares: bigint): bigint {
  return mulDivDown(shares, totalAssets + VIRTUAL_ASSETS, totalShares + VIRTUAL_SHARES);
}

/** e^(x n) - 1 to the third Taylor term, rounded down (MathLib.wTaylorCompounded). */
export function wTaylorCompounded(x: bigint, n: bigint): bigint {
  const firstTerm = x * n;
  const secondTerm = mulDivDown(firstTerm, firstTerm, 2n * WAD);
  const thirdTerm = mulDivDown(secondTerm, firstTerm, 3n * WAD);
  return firstTerm + secondTerm + thirdTerm;
}

/** Total borrow assets after accruing `borrowRate` (per second, WAD) over `elapsedSeconds`, as `_accrueInterest` does. */
export function accrueBorrowAssets(
  totalBorrowAssets: bigint,
  borrowRate: bigint,
  elapsedSeconds: bigint,
): bigint {
  if (elapsedSeconds <= 0n || borrowRate === 0n) return totalBorrowAssets;
  return totalBorrowAssets + wMulDown(totalBorrowAssets, wTaylorCompounded(borrowRate, elapsedSeconds));
}

/** Morpho oracle price (1e36 · 10^(loanDecimals − collateralDecimals) scale) → loan units per collateral unit. */
export function oraclePriceToRatio(price: bigint, loanDecimals: number, collateralDecimals: number): number {
  // One exact decimal conversion, then the nearest float: no rounding from scaling twice.
  return Number(formatUnits(price, 36 + loanDecimals - collateralDecimals));
}
