/**
 * Compound III (Comet) rules of docs/cascade-model.md section 4: liquidatable when
 * `Σ c o liquidateCollateralFactor < d o_base`; absorption clears all debt and takes all
 * collateral; bad debt when `Σ c o liquidationFactor < d o_base`. Whether the absorbed collateral
 * is sold (and the base bought) is the market's `sellsAbsorbed`, applied by the caller.
 */
import { type HeldAsset, plainPositionView } from "./plainPositionView.js";
import {
  ABSORBED,
  emptyLiquidationDecision,
  judgeHealth,
  type LiquidationDecision,
  type PositionView,
  type RoundPrices,
  resetDecision,
  writeOffWithoutCollateral,
} from "./positionView.js";

/** Compound's shortfall in USD at absorption: `max(0, d o_base - Σ c o liquidationFactor)`. */
export function compoundShortfallUsd(debtUsd: number, creditedUsd: number): number {
  return creditedUsd < debtUsd ? debtUsd - creditedUsd : 0;
}

/** Judges one Compound III position: absorbed when liquidatable, with its shortfall as bad debt. */
export function decideCompoundV3(
  out: LiquidationDecision,
  view: PositionView,
  c0: number,
  c1: number,
  d0: number,
  d1: number,
  prices: RoundPrices,
): void {
  const o = prices.oracleUsd;
  judgeHealth(out, view, c0, c1, d0, d1, o);
  if (!(out.healthFactor < 1)) return;
  resetDecision(out);
  if (writeOffWithoutCollateral(out, view, c0, c1)) return;
  let creditedUsd = 0;
  for (let e = c0; e < c1; e++) {
    creditedUsd += view.collAmount[e]! * o[view.collOracle[e]!]! * view.collLiquidationFactor[e]!;
  }
  out.outcome = ABSORBED;
  out.debtEntry = d0;
  out.badDebtUsd = compoundShortfallUsd(out.debtUsd, creditedUsd);
}

/** A collateral holding with the market's factors for it. */
export interface CompoundCollateralHolding extends HeldAsset {
  readonly liquidateCollateralFactor: number;
  readonly liquidationFactor: number;
}

export interface CompoundAbsorbInput {
  readonly collateral: readonly CompoundCollateralHolding[];
  /** Borrowed base token units and oracle price. */
  readonly debt: number;
  readonly basePriceUsd: number;
}

export interface CompoundAbsorbDecision {
  /** `Σ c o lcf / (d o_base)`; +Infinity without debt. */
  readonly healthFactor: number;
  readonly liquidatable: boolean;
  /** Base tokens cleared (`d`) when absorbed, else 0. */
  readonly repay: number;
  /** Collateral tokens taken, per asset (all of it when absorbed). */
  readonly seized: Readonly<Record<string, number>>;
  /** `d o_base - Σ c o liquidationFactor` when positive at absorption, else 0. */
  readonly badDebtUsd: number;
}

/** Decides one Compound III absorption from plain objects, with the kernel the propagator runs. */
export function decideCompoundAbsorb(input: CompoundAbsorbInput): CompoundAbsorbDecision {
  const plain = plainPositionView(
    input.collateral.map((h) => ({
      ...h,
      threshold: h.liquidateCollateralFactor,
      liquidationFactor: h.liquidationFactor,
    })),
    [{ asset: "base", amount: input.debt, priceUsd: input.basePriceUsd }],
  );
  const out = emptyLiquidationDecision();
  decideCompoundV3(out, plain.view, 0, plain.c1, 0, 1, plain.prices);
  const absorbed = out.outcome !== 0;
  const seized: Record<string, number> = {};
  if (absorbed) for (const c of plain.collateral) if (c.amount > 0) seized[c.asset] = c.amount;
  return {
    healthFactor: out.healthFactor,
    liquidatable: absorbed,
    repay: out.outcome === ABSORBED ? input.debt : 0,
    seized,
    badDebtUsd: out.badDebtUsd,
  };
}
