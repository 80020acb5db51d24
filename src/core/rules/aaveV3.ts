/**
 * Aave V3 liquidation rules of docs/cascade-model.md section 4 (v3.0 and v3.3 close-factor
 * logic, v3.3 dust rule, capped seizure, protocol fee, the profit rule, bad debt). One kernel,
 * `decideAaveV3` (struct-of-arrays in, decision out: the propagator's hot path), and a plain-object
 * wrapper, `decideAaveLiquidation`, used to pick an on-chain liquidation.
 * Amounts are token units; health, repay and seize at oracle prices, profit at market prices
 * (USD per unit); no rounding beyond float64.
 */
import type { AaveMarketData } from "../snapshot/schema.js";
import { type HeldAsset, plainPositionView } from "./plainPositionView.js";
import {
  BLOCKED,
  debtLeftUsd,
  emptyLiquidationDecision,
  hasDebtLeft,
  judgeAavePair,
  LIQUIDATED,
  type LiquidationDecision,
  largestDebtEntry,
  largestSeizableEntry,
  liquidationProfitUsd,
  type PositionView,
  type RoundPrices,
  UNPROFITABLE,
} from "./positionView.js";

export type { HeldAsset } from "./plainPositionView.js";

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

export interface AaveV3MarketParams extends AaveCloseParams {
  /** USD per liquidation. */
  readonly liquidationGasUsd: number;
  /** Model 2.1: liquidatable below this health factor only (`aaveLiquidationHealthLimit`). */
  readonly liquidationHealthLimit: number;
  /** Model 2.1: per asset index, 1 for a reserve no liquidation may seize or repay now; null: none. */
  readonly heldAssets: Uint8Array | null;
}

/**
 * `maxRepay` in debt tokens. v3.0: `d * (HF <= threshold ? 1 : closeFactor)`. v3.3: `d`, except
 * when both the collateral and the debt asset are worth at least `fullCloseBelowUsd`, HF is above
 * the threshold and `d o > closeFactor D`: then `closeFactor D / o`.
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
 * The amounts of a liquidatable position, given the chosen collateral (`c` units at oracle price
 * `oC`, bonus above 1, protocol fee share) and debt (`d` units at `oD`): repay, seize and fee into
 * `out`. Returns false when the v3.3 dust rule leaves nothing to repay.
 */
export function aaveLiquidationAmounts(
  out: LiquidationDecision,
  params: AaveCloseParams,
  healthFactor: number,
  totalDebtUsd: number,
  c: number,
  oC: number,
  bonus: number,
  protocolFeeShare: number,
  d: number,
  oD: number,
): boolean {
  let repay = aaveMaxRepay(params, healthFactor, c * oC, d, oD, totalDebtUsd);
  let seize = (repay * oD * (1 + bonus)) / oC;
  if (seize > c) {
    seize = c;
    repay = (c * oC) / ((1 + bonus) * oD);
  }
  if (params.liquidationLogic === "v3.3" && repay < d && seize < c) {
    const min = params.minLeftoverUsd;
    if ((d - repay) * oD < min || (c - seize) * oC < min) {
      repay = Math.min(repay, d - min / oD, ((c - min / oC) * oC) / ((1 + bonus) * oD));
      if (!(repay > 0)) return false;
      seize = (repay * oD * (1 + bonus)) / oC;
    }
  }
  out.repay = repay;
  out.seize = seize;
  out.fee = (seize - seize / (1 + bonus)) * protocolFeeShare;
  return true;
}

/**
 * Judges one Aave V3 position: `HF = Σ c o lt / Σ d o`, liquidatable below 1; the largest debt
 * and the largest seizable collateral (threshold above 0); the close-factor amounts; the profit
 * rule; bad debt when debt is left and no collateral value is (collateral with a threshold above
 * 0, at oracle reports; a report of 0 counts as none).
 */
export function decideAaveV3(
  out: LiquidationDecision,
  view: PositionView,
  c0: number,
  c1: number,
  d0: number,
  d1: number,
  prices: RoundPrices,
  params: AaveV3MarketParams,
): void {
  const o = prices.oracleUsd;
  if (
    !judgeAavePair(
      out,
      view,
      c0,
      c1,
      d0,
      d1,
      o,
      params.liquidationGasUsd,
      params.liquidationHealthLimit,
      params.heldAssets,
    )
  )
    return;
  const i = out.collEntry;
  const j = out.debtEntry;
  const c = view.collAmount[i]!;
  const d = view.debtAmount[j]!;
  const done = aaveLiquidationAmounts(
    out,
    params,
    out.healthFactor,
    out.debtUsd,
    c,
    o[view.collOracle[i]!]!,
    view.collBonus[i]!,
    view.collProtocolFee[i]!,
    d,
    o[view.debtOracle[j]!]!,
  );
  if (!done) {
    out.outcome = BLOCKED;
    return;
  }
  out.profitUsd = liquidationProfitUsd(
    view,
    prices,
    i,
    j,
    out.seize,
    out.fee,
    out.repay,
    params.liquidationGasUsd,
  );
  if (!(out.profitUsd > 0)) {
    out.outcome = UNPROFITABLE;
    return;
  }
  out.outcome = LIQUIDATED;
  // "No collateral value left": nothing that counts (threshold above 0) is worth anything.
  let collateralLeftUsd = 0;
  for (let e = c0; e < c1; e++) {
    if (!(view.collThreshold[e]! > 0)) continue;
    const left = e === i ? Math.max(0, c - out.seize) : view.collAmount[e]!;
    collateralLeftUsd += left * o[view.collOracle[e]!]!;
  }
  if (collateralLeftUsd === 0 && hasDebtLeft(view, d0, d1, j, out.repay)) {
    out.writeOff = true;
    out.badDebtUsd = debtLeftUsd(view, d0, d1, j, out.repay, o);
  }
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
  readonly market: AaveCloseParams & { readonly liquidationGasUsd?: number };
  readonly collateral: readonly AaveCollateralHolding[];
  readonly debt: readonly HeldAsset[];
}

export interface AaveLiquidationDecision {
  /** `Σ c o lt / Σ d o`; +Infinity without debt. */
  readonly healthFactor: number;
  readonly liquidatable: boolean;
  /** False when not liquidatable, unprofitable, or when the dust rule leaves nothing to repay. */
  readonly liquidated: boolean;
  /** Liquidatable, but the liquidation would not pay (profit at market prices minus gas <= 0). */
  readonly unprofitable: boolean;
  readonly debtAsset: string | null;
  readonly collateralAsset: string | null;
  /** The close-factor limit before the collateral cap and the dust rule. */
  readonly maxRepay: number;
  readonly repay: number;
  readonly seize: number;
  /** Collateral tokens kept by the protocol. */
  readonly protocolFee: number;
  /** Collateral tokens the liquidator sells: `seize - protocolFee`. */
  readonly sold: number;
  /** The liquidator's profit at market prices, gas deducted (NaN when no pair was chosen). */
  readonly profitUsd: number;
  /** Shortfall written off when debt is left and no collateral is; else 0. */
  readonly badDebtUsd: number;
}

/** Decides one Aave V3 liquidation from plain objects, with the kernel the propagator runs. */
export function decideAaveLiquidation(input: AaveLiquidationInput): AaveLiquidationDecision {
  const plain = plainPositionView(
    input.collateral.map((h) => ({
      ...h,
      threshold: h.liquidationThreshold,
      bonus: h.liquidationBonus,
      fee: h.protocolFee ?? 0,
    })),
    input.debt,
  );
  const out = emptyLiquidationDecision();
  const params = {
    ...input.market,
    liquidationGasUsd: input.market.liquidationGasUsd ?? 0,
    liquidationHealthLimit: 1,
    heldAssets: null,
  };
  decideAaveV3(out, plain.view, 0, plain.c1, 0, plain.d1, plain.prices, params);
  // The pair the liquidator would take, even when the position is not liquidatable.
  const collEntry =
    out.collEntry >= 0
      ? out.collEntry
      : largestSeizableEntry(plain.view, 0, plain.c1, plain.prices.oracleUsd);
  const debtEntry =
    out.debtEntry >= 0 ? out.debtEntry : largestDebtEntry(plain.view, 0, plain.d1, plain.prices.oracleUsd);
  const coll = collEntry >= 0 ? plain.collateral[collEntry] : undefined;
  const debt = debtEntry >= 0 ? plain.debt[debtEntry] : undefined;
  const liquidated = out.outcome === LIQUIDATED;
  const maxRepay =
    debt === undefined
      ? 0
      : aaveMaxRepay(
          input.market,
          out.healthFactor,
          (coll?.amount ?? 0) * (coll?.priceUsd ?? 0),
          debt.amount,
          debt.priceUsd,
          out.debtUsd,
        );
  return {
    healthFactor: out.healthFactor,
    liquidatable: out.healthFactor < 1,
    liquidated,
    unprofitable: out.outcome === UNPROFITABLE,
    debtAsset: debt?.asset ?? null,
    collateralAsset: coll?.asset ?? null,
    maxRepay: liquidated ? maxRepay : 0,
    repay: liquidated ? out.repay : 0,
    seize: liquidated ? out.seize : 0,
    protocolFee: liquidated ? out.fee : 0,
    sold: liquidated ? out.seize - out.fee : 0,
    profitUsd: out.profitUsd,
    badDebtUsd: out.badDebtUsd,
  };
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
  return {
    liquidationThreshold: reserve.liquidationThreshold,
    liquidationBonus: reserve.liquidationBonus,
    protocolFee: reserve.protocolFee,
  };
}
