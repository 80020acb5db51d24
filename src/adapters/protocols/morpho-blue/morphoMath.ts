/**
 * Morpho Blue's share and interest arithmetic, exactly as the contract rounds
 * (SharesMathLib, MathLib): virtual shares 1e6 and virtual assets 1 guard against inflation.
 */
import { formatUnits } from "viem";

export const WAD = 10n ** 18n;
export const VIRTUAL_SHARES = 10n ** 6n;
export const VIRTUAL_ASSETS = 1n;
/** Oracle prices are scaled by 1e36 (ConstantsLib.ORACLE_PRICE_SCALE). */
export const ORACLE_PRICE_SCALE = 10n ** 36n;
/** ConstantsLib.LIQUIDATION_CURSOR (0.3, WAD) and MAX_LIQUIDATION_INCENTIVE_FACTOR (1.15, WAD). */
export const LIQUIDATION_CURSOR = 3n * 10n ** 17n;
export const MAX_LIQUIDATION_INCENTIVE_FACTOR = 115n * 10n ** 16n;

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

/** `min(1.15, 1 / (1 - 0.3 (1 - lltv)))` in WAD, rounded down as `liquidate` does. */
export function liquidationIncentiveFactorWad(lltvWad: bigint): bigint {
  const lif = mulDivDown(WAD, WAD, WAD - mulDivDown(LIQUIDATION_CURSOR, WAD - lltvWad, WAD));
  return lif < MAX_LIQUIDATION_INCENTIVE_FACTOR ? lif : MAX_LIQUIDATION_INCENTIVE_FACTOR;
}

/**
 * Collateral `liquidate(…, 0, borrowShares, …)` seizes when all `borrowShares` are repaid:
 * repaid assets (shares rounded down) × LIF ÷ price, each step rounded down as the contract does.
 * When it exceeds the collateral held, a full liquidation must seize all the collateral instead
 * (`liquidate(…, collateral, 0, …)`) and the rest of the debt is realized as bad debt.
 */
export function seizedCollateralForShares(
  borrowShares: bigint,
  totalBorrowAssets: bigint,
  totalBorrowShares: bigint,
  lltvWad: bigint,
  oraclePrice: bigint,
): bigint {
  const repaid = toAssetsDown(borrowShares, totalBorrowAssets, totalBorrowShares);
  const lif = liquidationIncentiveFactorWad(lltvWad);
  return mulDivDown(mulDivDown(repaid, lif, WAD), ORACLE_PRICE_SCALE, oraclePrice);
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
