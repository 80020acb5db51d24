/**
 * Morpho Blue liquidation rules of docs/cascade-model.md section 4: liquidatable when
 * `d o_loan > c o_coll lltv`; a full liquidation with incentive factor
 * `LIF = min(1.15, 1 / (0.3 lltv + 0.7))`; the profit rule; bad debt when no collateral value is left.
 * Amounts are token units; health and amounts at oracle prices, profit at market prices.
 */
import { plainPositionView } from "./plainPositionView.js";
import {
  emptyLiquidationDecision,
  judgeHealth,
  LIQUIDATED,
  type LiquidationDecision,
  liquidationProfitUsd,
  type PositionView,
  type RoundPrices,
  resetDecision,
  UNPROFITABLE,
  writeOffWithoutCollateral,
} from "./positionView.js";

/** `min(1.15, 1 / (0.3 lltv + 0.7))`. */
export function morphoLiquidationIncentiveFactor(lltv: number): number {
  return Math.min(1.15, 1 / (0.3 * lltv + 0.7));
}

export interface MorphoMarketParams {
  readonly lltv: number;
  readonly liquidationIncentiveFactor: number;
  readonly liquidationGasUsd: number;
}

/**
 * Judges one Morpho Blue position (one collateral entry `c0`, one debt entry `d0`, either may be
 * absent): `seize = min(c, d o_loan LIF / o_coll)`, `repay = seize o_coll / (LIF o_loan)`, no fee.
 */
export function decideMorphoBlue(
  out: LiquidationDecision,
  view: PositionView,
  c0: number,
  c1: number,
  d0: number,
  d1: number,
  prices: RoundPrices,
  params: MorphoMarketParams,
): void {
  const o = prices.oracleUsd;
  judgeHealth(out, view, c0, c1, d0, d1, o);
  if (d1 === d0) {
    resetDecision(out);
    return;
  }
  const c = c1 > c0 ? view.collAmount[c0]! : 0;
  const oColl = c1 > c0 ? o[view.collOracle[c0]!]! : 0;
  const d = view.debtAmount[d0]!;
  const oLoan = o[view.debtOracle[d0]!]!;
  if (!(d * oLoan > c * oColl * params.lltv)) return;
  resetDecision(out);
  if (writeOffWithoutCollateral(out, view, c0, c1)) return;
  const lif = params.liquidationIncentiveFactor;
  const seize = Math.min(c, (d * oLoan * lif) / oColl);
  const repay = (seize * oColl) / (lif * oLoan);
  out.collEntry = c0;
  out.debtEntry = d0;
  out.seize = seize;
  out.repay = repay;
  out.fee = 0;
  out.profitUsd = liquidationProfitUsd(view, prices, c0, d0, seize, 0, repay, params.liquidationGasUsd);
  if (!(out.profitUsd > 0)) {
    out.outcome = UNPROFITABLE;
    return;
  }
  out.outcome = LIQUIDATED;
  const debtLeft = Math.max(0, d - repay);
  // No collateral value left: the collateral is gone (or its report is 0).
  if (debtLeft > 0 && Math.max(0, c - seize) * oColl === 0) {
    out.writeOff = true;
    out.badDebtUsd = debtLeft * oLoan;
  }
}

export interface MorphoLiquidationInput {
  readonly lltv: number;
  /** Collateral token units and oracle price. */
  readonly collateral: number;
  readonly collateralPriceUsd: number;
  /** Borrowed (loan) token units and oracle price. */
  readonly debt: number;
  readonly loanPriceUsd: number;
  /** Market prices for the profit; default the oracle prices. */
  readonly collateralMarketPriceUsd?: number;
  readonly loanMarketPriceUsd?: number;
  readonly liquidationGasUsd?: number;
}

export interface MorphoLiquidationDecision {
  readonly healthFactor: number;
  readonly liquidatable: boolean;
  readonly liquidated: boolean;
  readonly unprofitable: boolean;
  readonly liquidationIncentiveFactor: number;
  readonly repay: number;
  readonly seize: number;
  readonly profitUsd: number;
  /** Shortfall in USD when debt is left and the collateral is gone; else 0. */
  readonly badDebtUsd: number;
}

/** Decides one Morpho Blue liquidation from plain numbers, with the kernel the propagator runs. */
export function decideMorphoLiquidation(input: MorphoLiquidationInput): MorphoLiquidationDecision {
  const lif = morphoLiquidationIncentiveFactor(input.lltv);
  const plain = plainPositionView(
    [
      {
        asset: "collateral",
        amount: input.collateral,
        priceUsd: input.collateralPriceUsd,
        marketPriceUsd: input.collateralMarketPriceUsd,
        threshold: input.lltv,
      },
    ],
    [
      {
        asset: "loan",
        amount: input.debt,
        priceUsd: input.loanPriceUsd,
        marketPriceUsd: input.loanMarketPriceUsd,
      },
    ],
  );
  const out = emptyLiquidationDecision();
  decideMorphoBlue(out, plain.view, 0, 1, 0, 1, plain.prices, {
    lltv: input.lltv,
    liquidationIncentiveFactor: lif,
    liquidationGasUsd: input.liquidationGasUsd ?? 0,
  });
  const liquidated = out.outcome === LIQUIDATED || out.outcome === UNPROFITABLE;
  return {
    healthFactor: out.healthFactor,
    liquidatable: out.outcome !== 0,
    liquidated: out.outcome === LIQUIDATED,
    unprofitable: out.outcome === UNPROFITABLE,
    liquidationIncentiveFactor: lif,
    repay: liquidated ? out.repay : 0,
    seize: liquidated ? out.seize : 0,
    profitUsd: out.profitUsd,
    badDebtUsd: out.badDebtUsd,
  };
}
