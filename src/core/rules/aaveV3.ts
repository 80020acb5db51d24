/**
 * Aave V3 liquidation rules of cascade-model.md section 3 (v3.0 and v3.3 close-factor logic,
 * v3.3 dust rule, capped seizure, protocol fee). Two entry points share one kernel:
 * `aaveLiquidationAmounts` (numbers in, scratch out: the propagator's hot path) and
 * `decideAaveLiquidation` (plain objects in and out: also used to pick an on-chain liquidation).
 * All amounts are token units, prices USD per unit; no rounding beyond float64.
 */
import type { AaveMarketData } from "../snapshot/schema.js";
import type { LiquidationAmounts } from "./liquidationAmounts.js";

/** The market-wide numbers that shape an Aave liquidation. */
export interface AaveCloseParams {
  readonly liquidationLogic: "v3.0" | "v3.3";
  readonly closeFactor: number;
  readonly closeFactorHfThreshold: number;
  /** v3.3 only. */
  readonly fullCloseBelowUsd: number;
  /** v3.3 only. */
  readonly minLeftoverUsd: number;
}

/**
 * `maxRepay` in debt tokens. v3.0: `d * (HF <= threshold ? 1 : closeFactor)`. v3.3: `d`, except
 * when both the collateral and the debt asset are worth at least `fullCloseBelowUsd`, HF is above
 * the threshold and `d p > closeFactor D`: then `closeFactor D / p`.
 */
export function aaveMaxRepay(
  params: AaveCloseParams,
  healthFactor: number,
  collateralUsd: number,
  debtAmount: number,
  debtPriceUsd: number,
  totalDebtUsd: number,
): number {
  if (params.liquidationLogic === "v3.0") {
    return debtAmount * (healthFactor <= params.closeFactorHfThreshold ? 1 : params.closeFactor);
  }
  const debtUsd = debtAmount * debtPriceUsd;
  if (
    collateralUsd >= params.fullCloseBelowUsd &&
    debtUsd >= params.fullCloseBelowUsd &&
    healthFactor > params.closeFactorHfThreshold &&
    debtUsd > params.closeFactor * totalDebtUsd
  ) {
    return (params.closeFactor * totalDebtUsd) / debtPriceUsd;
  }
  return debtAmount;
}

/**
 * The rational liquidator's amounts for a liquidatable position, given the chosen collateral
 * (`c` units at `pC`, bonus above 1, protocol fee share) and debt (`d` units at `pD`).
 * Writes into `out`; returns false when the v3.3 dust rule leaves nothing to repay.
 */
export function aaveLiquidationAmounts(
  out: LiquidationAmounts,
  params: AaveCloseParams,
  healthFactor: number,
  totalDebtUsd: number,
  c: number,
  pC: number,
  bonus: number,
  protocolFeeShare: number,
  d: number,
  pD: number,
): boolean {
  const maxRepay = aaveMaxRepay(params, healthFactor, c * pC, d, pD, totalDebtUsd);
  let repay = maxRepay;
  let seize = (repay * pD * (1 + bonus)) / pC;
  if (seize > c) {
    seize = c;
    repay = (c * pC) / ((1 + bonus) * pD);
  }
  if (params.liquidationLogic === "v3.3" && repay < d && seize < c) {
    const min = params.minLeftoverUsd;
    if ((d - repay) * pD < min || (c - seize) * pC < min) {
      repay = Math.min(repay, d - min / pD, ((c - min / pC) * pC) / ((1 + bonus) * pD));
      if (!(repay > 0)) return false;
      seize = (repay * pD * (1 + bonus)) / pC;
    }
  }
  out.maxRepay = maxRepay;
  out.repay = repay;
  out.seize = seize;
  out.protocolFee = (seize - seize / (1 + bonus)) * protocolFeeShare;
  return true;
}

/** One asset held by a position, for the plain-object API. */
export interface HeldAsset {
  readonly asset: string;
  /** Token units. */
  readonly amount: number;
  readonly priceUsd: number;
}

/** A collateral holding with its effective (eMode-resolved) Aave parameters. */
export interface AaveCollateralHolding extends HeldAsset {
  readonly liquidationThreshold: number;
  /** Bonus above 1 (0.05 = 105%). */
  readonly liquidationBonus: number;
  /** Share of the bonus that goes to the treasury; default 0. */
  readonly protocolFee?: number;
}

export interface AaveLiquidationInput {
  readonly market: AaveCloseParams;
  readonly collateral: readonly AaveCollateralHolding[];
  readonly debt: readonly HeldAsset[];
}

export interface AaveLiquidationDecision {
  /** `Σ c p lt / Σ d p`; +Infinity without debt. */
  readonly healthFactor: number;
  readonly liquidatable: boolean;
  /** False when not liquidatable or when the dust rule leaves nothing to repay. */
  readonly liquidated: boolean;
  readonly debtAsset: string | null;
  readonly collateralAsset: string | null;
  readonly maxRepay: number;
  readonly repay: number;
  readonly seize: number;
  /** Collateral tokens kept by the protocol. */
  readonly protocolFee: number;
  /** Collateral tokens the liquidator sells: `seize - protocolFee`. */
  readonly sold: number;
  /** Shortfall written off when debt is left and no collateral value is left; else 0. */
  readonly badDebtUsd: number;
}

/** `Σ c p lt / Σ d p`, summed in the given order; +Infinity when the debt is worth 0. */
export function aaveHealthFactor(
  collateral: readonly AaveCollateralHolding[],
  debt: readonly HeldAsset[],
): number {
  let weighted = 0;
  for (const c of collateral) weighted += c.amount * c.priceUsd * c.liquidationThreshold;
  let debtUsd = 0;
  for (const d of debt) debtUsd += d.amount * d.priceUsd;
  return debtUsd > 0 ? weighted / debtUsd : Number.POSITIVE_INFINITY;
}

/** Index of the holding worth most in USD; ties go to the smaller asset id. -1 when empty. */
export function largestHolding(holdings: readonly HeldAsset[]): number {
  let best = -1;
  let bestUsd = Number.NEGATIVE_INFINITY;
  for (const [k, h] of holdings.entries()) {
    const usd = h.amount * h.priceUsd;
    const prior = holdings[best];
    if (usd > bestUsd || (usd === bestUsd && prior !== undefined && h.asset < prior.asset)) {
      best = k;
      bestUsd = usd;
    }
  }
  return best;
}

const NOT_LIQUIDATED = { maxRepay: 0, repay: 0, seize: 0, protocolFee: 0, sold: 0, badDebtUsd: 0 };

/** Decides one Aave liquidation from plain objects (section 3 of the model, literally). */
export function decideAaveLiquidation(input: AaveLiquidationInput): AaveLiquidationDecision {
  const { collateral, debt, market } = input;
  const healthFactor = aaveHealthFactor(collateral, debt);
  const liquidatable = healthFactor < 1;
  const j = largestHolding(debt);
  const i = largestHolding(collateral);
  const debtAsset = debt[j]?.asset ?? null;
  const collateralAsset = collateral[i]?.asset ?? null;
  const base = { healthFactor, liquidatable, debtAsset, collateralAsset };
  const d = debt[j];
  if (!liquidatable || d === undefined) return { ...base, liquidated: false, ...NOT_LIQUIDATED };
  let totalDebtUsd = 0;
  for (const h of debt) totalDebtUsd += h.amount * h.priceUsd;
  const c = collateral[i];
  const out: LiquidationAmounts = { maxRepay: 0, repay: 0, seize: 0, protocolFee: 0 };
  if (c === undefined) {
    out.maxRepay = aaveMaxRepay(market, healthFactor, 0, d.amount, d.priceUsd, totalDebtUsd);
  } else if (
    !aaveLiquidationAmounts(
      out,
      market,
      healthFactor,
      totalDebtUsd,
      c.amount,
      c.priceUsd,
      c.liquidationBonus,
      c.protocolFee ?? 0,
      d.amount,
      d.priceUsd,
    )
  ) {
    return { ...base, liquidated: false, ...NOT_LIQUIDATED };
  }
  let collateralLeftUsd = 0;
  for (const h of collateral) {
    const amount = h === c ? Math.max(0, h.amount - out.seize) : h.amount;
    collateralLeftUsd += amount * h.priceUsd;
  }
  let debtLeftUsd = 0;
  let debtLeft = false;
  for (const h of debt) {
    const amount = h === d ? Math.max(0, h.amount - out.repay) : h.amount;
    if (amount > 0) debtLeft = true;
    debtLeftUsd += amount * h.priceUsd;
  }
  const badDebtUsd = debtLeft && collateralLeftUsd === 0 ? debtLeftUsd : 0;
  return { ...base, liquidated: true, ...out, sold: out.seize - out.protocolFee, badDebtUsd };
}

/**
 * Effective liquidation threshold and bonus of `asset` for a position in eMode `emode` (0 = none):
 * the category's when the asset is in it, else the reserve's; the protocol fee is always the reserve's.
 * Undefined when the asset is not a reserve of the market.
 */
export function aaveEffectiveCollateralParams(
  market: AaveMarketData,
  emode: number,
  asset: string,
): { liquidationThreshold: number; liquidationBonus: number; protocolFee: number } | undefined {
  const reserve = Object.hasOwn(market.reserves, asset) ? market.reserves[asset] : undefined;
  if (reserve === undefined) return undefined;
  const category = emode === 0 ? undefined : market.emodes[String(emode)];
  if (category?.assets.includes(asset)) {
    return {
      liquidationThreshold: category.liquidationThreshold,
      liquidationBonus: category.liquidationBonus,
      protocolFee: reserve.protocolFee,
    };
  }
  return { ...reserve };
}
