/**
 * Aave v3.3+ (V3.6) dust check in the contract's own integer arithmetic, so a liquidation whose
 * repay the model's dust rule lowered is sent with the largest `debtToCover` the contract accepts
 * (it reverts with `MustNotLeaveDust` when an integer leftover is a unit short of $1,000).
 */

/** `MIN_LEFTOVER_BASE` of LiquidationLogic: $1,000 in the oracle's 8-decimal base currency. */
const MIN_LEFTOVER_BASE = 1000n * 10n ** 8n;
const PERCENTAGE_FACTOR = 10_000n;

export interface AaveDustInput {
  /** The model's repay in debt-token wei, rounded down: the upper bound. */
  readonly desiredWei: bigint;
  readonly borrowerDebtWei: bigint;
  readonly borrowerCollateralWei: bigint;
  /** Oracle answers, 8 decimals. */
  readonly debtPriceE8: bigint;
  readonly collateralPriceE8: bigint;
  readonly debtDecimals: number;
  readonly collateralDecimals: number;
  /** 10500 = 5% bonus, as Aave encodes it. */
  readonly liquidationBonusBps: bigint;
}

/** `percentMul` of PercentageMath: half up. */
const percentMul = (value: bigint, percentage: bigint): bigint =>
  (value * percentage + PERCENTAGE_FACTOR / 2n) / PERCENTAGE_FACTOR;
const mulDivCeil = (a: bigint, b: bigint, c: bigint): bigint => (a * b + c - 1n) / c;

/** Whether the contract leaves at least $1,000 of both debt and collateral after repaying `debtToCover`. */
export function leavesNoDust(input: AaveDustInput, debtToCover: bigint): boolean {
  const debtUnit = 10n ** BigInt(input.debtDecimals);
  const collateralUnit = 10n ** BigInt(input.collateralDecimals);
  const baseCollateral =
    (input.debtPriceE8 * debtToCover * collateralUnit) / (input.collateralPriceE8 * debtUnit);
  // Liquidator's share plus the protocol fee: the whole bonus-inclusive amount leaves the position.
  const seizedWei = percentMul(baseCollateral, input.liquidationBonusBps);
  if (debtToCover >= input.borrowerDebtWei || seizedWei >= input.borrowerCollateralWei) return true;
  const debtLeftBase = mulDivCeil(input.borrowerDebtWei - debtToCover, input.debtPriceE8, debtUnit);
  const collateralLeftBase =
    ((input.borrowerCollateralWei - seizedWei) * input.collateralPriceE8) / collateralUnit;
  return debtLeftBase >= MIN_LEFTOVER_BASE && collateralLeftBase >= MIN_LEFTOVER_BASE;
}

/**
 * The largest `debtToCover` at most `desiredWei` that the contract's dust check accepts, found by
 * bisection (the leftovers fall as the repay grows); 0 when none does. Differs from the model's
 * real-valued repay by at most about one unit of the collateral token's worth.
 */
export function aaveDustSafeRepay(input: AaveDustInput): bigint {
  if (input.desiredWei <= 0n) return 0n;
  if (leavesNoDust(input, input.desiredWei)) return input.desiredWei;
  let low = 0n;
  let high = input.desiredWei;
  while (high - low > 1n) {
    const middle = (low + high) / 2n;
    if (leavesNoDust(input, middle)) low = middle;
    else high = middle;
  }
  return low;
}
