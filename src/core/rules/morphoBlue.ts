/**
 * Morpho Blue liquidation rules of cascade-model.md section 3: liquidatable when
 * `d p_loan > c p_coll lltv`; a full liquidation with incentive factor
 * `LIF = min(1.15, 1 / (0.3 lltv + 0.7))`. Amounts are token units, prices USD per unit.
 */
import type { LiquidationAmounts } from "./liquidationAmounts.js";

/** `min(1.15, 1 / (0.3 lltv + 0.7))`. */
export function morphoLiquidationIncentiveFactor(lltv: number): number {
  return Math.min(1.15, 1 / (0.3 * lltv + 0.7));
}

/** `d p_loan > c p_coll lltv`. */
export function morphoIsLiquidatable(
  c: number,
  pColl: number,
  d: number,
  pLoan: number,
  lltv: number,
): boolean {
  return d * pLoan > c * pColl * lltv;
}

/** `c p_coll lltv / (d p_loan)`; +Infinity without debt. */
export function morphoHealthFactor(c: number, pColl: number, d: number, pLoan: number, lltv: number): number {
  const debtUsd = d * pLoan;
  return debtUsd > 0 ? (c * pColl * lltv) / debtUsd : Number.POSITIVE_INFINITY;
}

/** `seize = min(c, d p_loan LIF / p_coll)`, `repay = seize p_coll / (LIF p_loan)`; all of `seize` is sold. */
export function morphoLiquidationAmounts(
  out: LiquidationAmounts,
  lif: number,
  c: number,
  pColl: number,
  d: number,
  pLoan: number,
): void {
  const seize = Math.min(c, (d * pLoan * lif) / pColl);
  out.maxRepay = d;
  out.seize = seize;
  out.repay = (seize * pColl) / (lif * pLoan);
  out.protocolFee = 0;
}

export interface MorphoLiquidationInput {
  readonly lltv: number;
  /** Collateral token units and price. */
  readonly collateral: number;
  readonly collateralPriceUsd: number;
  /** Borrowed (loan) token units and price. */
  readonly debt: number;
  readonly loanPriceUsd: number;
}

export interface MorphoLiquidationDecision {
  readonly healthFactor: number;
  readonly liquidatable: boolean;
  readonly liquidationIncentiveFactor: number;
  readonly repay: number;
  readonly seize: number;
  /** Shortfall in USD when debt is left and the collateral is gone; else 0. */
  readonly badDebtUsd: number;
}

/** Decides one Morpho Blue liquidation from plain numbers. */
export function decideMorphoLiquidation(input: MorphoLiquidationInput): MorphoLiquidationDecision {
  const { lltv, collateral: c, collateralPriceUsd: pColl, debt: d, loanPriceUsd: pLoan } = input;
  const lif = morphoLiquidationIncentiveFactor(lltv);
  const healthFactor = morphoHealthFactor(c, pColl, d, pLoan, lltv);
  const liquidatable = morphoIsLiquidatable(c, pColl, d, pLoan, lltv);
  if (!liquidatable) {
    return { healthFactor, liquidatable, liquidationIncentiveFactor: lif, repay: 0, seize: 0, badDebtUsd: 0 };
  }
  const out = { maxRepay: 0, repay: 0, seize: 0, protocolFee: 0 };
  morphoLiquidationAmounts(out, lif, c, pColl, d, pLoan);
  const debtLeft = Math.max(0, d - out.repay);
  const collateralLeftUsd = Math.max(0, c - out.seize) * pColl;
  const badDebtUsd = debtLeft > 0 && collateralLeftUsd === 0 ? debtLeft * pLoan : 0;
  return {
    healthFactor,
    liquidatable,
    liquidationIncentiveFactor: lif,
    repay: out.repay,
    seize: out.seize,
    badDebtUsd,
  };
}
