/** What one liquidation moves, in token units. Reused as a scratch object on the hot path. */
export interface LiquidationAmounts {
  /** Most the liquidator may repay under the close-factor rule (Aave), else the debt. */
  maxRepay: number;
  /** Debt tokens repaid. */
  repay: number;
  /** Collateral tokens taken from the position. */
  seize: number;
  /** Collateral tokens kept by the protocol (Aave's share of the bonus); the rest is sold. */
  protocolFee: number;
}

export const emptyLiquidationAmounts = (): LiquidationAmounts => ({
  maxRepay: 0,
  repay: 0,
  seize: 0,
  protocolFee: 0,
});
