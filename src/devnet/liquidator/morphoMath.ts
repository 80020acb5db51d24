/** Morpho Blue's integer arithmetic (SharesMathLib, MathLib, ConstantsLib), in bigint. */

const WAD = 10n ** 18n;
const ORACLE_PRICE_SCALE = 10n ** 36n;
const VIRTUAL_SHARES = 10n ** 6n;
const VIRTUAL_ASSETS = 1n;
const LIQUIDATION_CURSOR = 3n * 10n ** 17n;
const MAX_LIQUIDATION_INCENTIVE_FACTOR = 115n * 10n ** 16n;

const mulDivDown = (x: bigint, y: bigint, d: bigint): bigint => (x * y) / d;
const mulDivUp = (x: bigint, y: bigint, d: bigint): bigint => (x * y + (d - 1n)) / d;

/** Borrow shares to assets, rounded up (what a borrower owes). */
export const morphoToAssetsUp = (shares: bigint, totalAssets: bigint, totalShares: bigint): bigint =>
  mulDivUp(shares, totalAssets + VIRTUAL_ASSETS, totalShares + VIRTUAL_SHARES);

const toAssetsDown = (shares: bigint, totalAssets: bigint, totalShares: bigint): bigint =>
  mulDivDown(shares, totalAssets + VIRTUAL_ASSETS, totalShares + VIRTUAL_SHARES);

/** `min(1.15, 1 / (1 - 0.3 (1 - lltv)))` in WAD, rounded as the contract does. */
export function morphoLiquidationIncentiveFactorWad(lltvWad: bigint): bigint {
  const lif = mulDivDown(WAD, WAD, WAD - mulDivDown(LIQUIDATION_CURSOR, WAD - lltvWad, WAD));
  return lif < MAX_LIQUIDATION_INCENTIVE_FACTOR ? lif : MAX_LIQUIDATION_INCENTIVE_FACTOR;
}

/**
 * Collateral the contract seizes when all `borrowShares` are repaid (`liquidate(…, 0, shares, …)`).
 * When it exceeds the collateral held, a full liquidation must instead seize all the collateral
 * (`liquidate(…, collateral, 0, …)`) and the rest of the debt is realized as bad debt.
 */
export function morphoSeizedForShares(
  borrowShares: bigint,
  totalBorrowAssets: bigint,
  totalBorrowShares: bigint,
  lltvWad: bigint,
  oraclePrice: bigint,
): bigint {
  const repaid = toAssetsDown(borrowShares, totalBorrowAssets, totalBorrowShares);
  const lif = morphoLiquidationIncentiveFactorWad(lltvWad);
  return mulDivDown(mulDivDown(repaid, lif, WAD), ORACLE_PRICE_SCALE, oraclePrice);
}
