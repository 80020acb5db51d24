/**
 * Compound III (Comet) rules of cascade-model.md section 3: liquidatable when
 * `Σ c p liquidateCollateralFactor < d p_base`; absorption clears all debt and sells all
 * collateral at once; bad debt when `Σ c p liquidationFactor < d p_base`.
 */
import type { HeldAsset } from "./aaveV3.js";

/** A collateral holding with the market's factors for it. */
export interface CompoundCollateralHolding extends HeldAsset {
  readonly liquidateCollateralFactor: number;
  readonly liquidationFactor: number;
}

export interface CompoundAbsorbInput {
  readonly collateral: readonly CompoundCollateralHolding[];
  /** Borrowed base token units and price. */
  readonly debt: number;
  readonly basePriceUsd: number;
}

export interface CompoundAbsorbDecision {
  /** `Σ c p lcf / (d p_base)`; +Infinity without debt. */
  readonly healthFactor: number;
  readonly liquidatable: boolean;
  /** Base tokens cleared (`d`) when absorbed, else 0. */
  readonly repay: number;
  /** Collateral tokens taken and sold, per asset (all of it when absorbed). */
  readonly seized: Readonly<Record<string, number>>;
  /** `d p_base - Σ c p liquidationFactor` when positive at absorption, else 0. */
  readonly badDebtUsd: number;
}

/** Compound's shortfall in USD at absorption: `max(0, d p_base - Σ c p liquidationFactor)`. */
export function compoundShortfallUsd(debtUsd: number, creditedUsd: number): number {
  return creditedUsd < debtUsd ? debtUsd - creditedUsd : 0;
}

/** Decides one Compound III absorption from plain objects. */
export function decideCompoundAbsorb(input: CompoundAbsorbInput): CompoundAbsorbDecision {
  let weighted = 0;
  let credited = 0;
  for (const c of input.collateral) {
    weighted += c.amount * c.priceUsd * c.liquidateCollateralFactor;
    credited += c.amount * c.priceUsd * c.liquidationFactor;
  }
  const debtUsd = input.debt * input.basePriceUsd;
  const healthFactor = debtUsd > 0 ? weighted / debtUsd : Number.POSITIVE_INFINITY;
  const liquidatable = weighted < debtUsd;
  if (!liquidatable) return { healthFactor, liquidatable, repay: 0, seized: {}, badDebtUsd: 0 };
  const seized: Record<string, number> = {};
  for (const c of input.collateral) if (c.amount > 0) seized[c.asset] = c.amount;
  return {
    healthFactor,
    liquidatable,
    repay: input.debt,
    seized,
    badDebtUsd: compoundShortfallUsd(debtUsd, credited),
  };
}
