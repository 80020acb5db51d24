/**
 * Aave V4 liquidation rules of docs/cascade-model.md section 4: a Dutch-auction bonus that grows
 * as health falls, a repay sized to bring the position back to the target health factor, dust
 * extensions that close small leftovers, and the deficit (bad debt) when the last collateral is
 * emptied. Per asset, the collateral factor, maximum bonus and fee are the position's dynamic
 * configuration where it has one (the book resolves that), else the reserve's.
 * Amounts are token units; health and amounts at oracle prices, profit at market prices.
 */
import { type HeldAsset, plainPositionView } from "./plainPositionView.js";
import {
  debtLeftUsd,
  emptyLiquidationDecision,
  hasDebtLeft,
  judgeAavePair,
  LIQUIDATED,
  type LiquidationDecision,
  liquidationProfitUsd,
  type PositionView,
  type RoundPrices,
  UNPROFITABLE,
} from "./positionView.js";

/** A Spoke's liquidation configuration. */
export interface AaveV4MarketParams {
  readonly targetHealthFactor: number;
  readonly healthFactorForMaxBonus: number;
  /** `minLB = (maxLB - 1) · liquidationBonusFactor + 1`. */
  readonly liquidationBonusFactor: number;
  /** Leftovers worth less than this (USD) are taken whole. */
  readonly dustUsd: number;
  readonly liquidationGasUsd: number;
}

/**
 * The liquidation bonus as a multiplier (1.05 = 105%): `maxLB` at or below
 * `healthFactorForMaxBonus`, else `minLB + (maxLB - minLB)(1 - HF)/(1 - hfForMaxBonus)` with
 * `minLB = (maxLB - 1) · liquidationBonusFactor + 1`.
 */
export function aaveV4LiquidationBonus(
  maxLiquidationBonus: number,
  liquidationBonusFactor: number,
  healthFactorForMaxBonus: number,
  healthFactor: number,
): number {
  const maxLB = 1 + maxLiquidationBonus;
  if (healthFactor <= healthFactorForMaxBonus) return maxLB;
  const minLB = maxLiquidationBonus * liquidationBonusFactor + 1;
  return minLB + ((maxLB - minLB) * (1 - healthFactor)) / (1 - healthFactorForMaxBonus);
}

/**
 * Judges one Aave V4 position: `HF = Σ c o cf / Σ d o`, liquidatable below 1; the largest debt
 * and the largest collateral with `cf > 0`; the debt to target
 * `l = D (THF - HF) / (THF - lb cf)` (unbounded when `THF <= lb cf`), `repay = min(d, l / o_d)`,
 * extended to `d` when the debt left would be dust; `seize = repay o_d lb / o_c`, capped at `c`,
 * or extended to `c` when the collateral left would be dust; `fee = (seize - seize / lb) · fee`.
 */
export function decideAaveV4(
  out: LiquidationDecision,
  view: PositionView,
  c0: number,
  c1: number,
  d0: number,
  d1: number,
  prices: RoundPrices,
  params: AaveV4MarketParams,
): void {
  const o = prices.oracleUsd;
  if (!judgeAavePair(out, view, c0, c1, d0, d1, o, params.liquidationGasUsd)) return;
  const healthFactor = out.healthFactor;
  const i = out.collEntry;
  const j = out.debtEntry;
  const c = view.collAmount[i]!;
  const d = view.debtAmount[j]!;
  const oC = o[view.collOracle[i]!]!;
  const oD = o[view.debtOracle[j]!]!;
  const cf = view.collThreshold[i]!;
  const lb = aaveV4LiquidationBonus(
    view.collBonus[i]!,
    params.liquidationBonusFactor,
    params.healthFactorForMaxBonus,
    healthFactor,
  );
  const target = params.targetHealthFactor;
  const denominator = target - lb * cf;
  const debtToTargetUsd =
    denominator <= 0 ? Number.POSITIVE_INFINITY : (out.debtUsd * (target - healthFactor)) / denominator;
  let repay = Math.min(d, debtToTargetUsd / oD);
  if ((d - repay) * oD < params.dustUsd) repay = d;
  let seize = (repay * oD * lb) / oC;
  if (seize > c) {
    seize = c;
    repay = (c * oC) / (lb * oD);
  } else if ((c - seize) * oC < params.dustUsd && repay < d) {
    seize = c;
    repay = Math.min(d, (c * oC) / (lb * oD));
  }
  out.repay = repay;
  out.seize = seize;
  out.fee = (seize - seize / lb) * view.collProtocolFee[i]!;
  out.profitUsd = liquidationProfitUsd(view, prices, i, j, seize, out.fee, repay, params.liquidationGasUsd);
  if (!(out.profitUsd > 0)) {
    out.outcome = UNPROFITABLE;
    return;
  }
  out.outcome = LIQUIDATED;
  // Deficit: the seized collateral emptied, it was the only collateral (cf > 0, amount > 0),
  // and debt remains. A dust second collateral blocks it, as on chain.
  if (seize >= c) {
    let other = false;
    for (let e = c0; e < c1 && !other; e++) {
      other = e !== i && view.collThreshold[e]! > 0 && view.collAmount[e]! > 0;
    }
    if (!other) {
      if (hasDebtLeft(view, d0, d1, j, repay)) {
        out.writeOff = true;
        out.badDebtUsd = debtLeftUsd(view, d0, d1, j, repay, o);
      }
    }
  }
}

/** A collateral holding with its Aave V4 parameters (dynamic configuration already applied). */
export interface AaveV4CollateralHolding extends HeldAsset {
  readonly collateralFactor: number;
  /** Above 1: 0.05 = 105%. */
  readonly maxLiquidationBonus: number;
  readonly liquidationFee?: number;
}

export interface AaveV4LiquidationDecision {
  readonly healthFactor: number;
  readonly liquidatable: boolean;
  readonly liquidated: boolean;
  readonly unprofitable: boolean;
  readonly debtAsset: string | null;
  readonly collateralAsset: string | null;
  readonly repay: number;
  readonly seize: number;
  readonly liquidationFee: number;
  readonly profitUsd: number;
  readonly badDebtUsd: number;
}

/** Decides one Aave V4 liquidation from plain objects, with the kernel the propagator runs. */
export function decideAaveV4Liquidation(input: {
  readonly market: AaveV4MarketParams;
  readonly collateral: readonly AaveV4CollateralHolding[];
  readonly debt: readonly HeldAsset[];
}): AaveV4LiquidationDecision {
  const plain = plainPositionView(
    input.collateral.map((h) => ({
      ...h,
      threshold: h.collateralFactor,
      bonus: h.maxLiquidationBonus,
      fee: h.liquidationFee ?? 0,
    })),
    input.debt,
  );
  const out = emptyLiquidationDecision();
  decideAaveV4(out, plain.view, 0, plain.c1, 0, plain.d1, plain.prices, input.market);
  const liquidated = out.outcome === LIQUIDATED;
  return {
    healthFactor: out.healthFactor,
    liquidatable: out.healthFactor < 1,
    liquidated,
    unprofitable: out.outcome === UNPROFITABLE,
    debtAsset: out.debtEntry >= 0 ? plain.debt[out.debtEntry]!.asset : null,
    collateralAsset: out.collEntry >= 0 ? plain.collateral[out.collEntry]!.asset : null,
    repay: liquidated ? out.repay : 0,
    seize: liquidated ? out.seize : 0,
    liquidationFee: liquidated ? out.fee : 0,
    profitUsd: out.profitUsd,
    badDebtUsd: out.badDebtUsd,
  };
}
