/**
 * What every protocol kernel reads and writes (docs/cascade-model.md, section 4, step 3).
 *
 * A kernel judges one position, given as entry ranges into struct-of-arrays (the book's layout,
 * with the simulation's current amounts), at the round's oracle reports (health, amounts, bad
 * debt) and market prices (the liquidator's profit), and writes its decision into a reusable
 * `LiquidationDecision`. It changes no amount: the caller applies the decision. The propagator's
 * hot loop and the plain-object `decide…` functions call the same kernels.
 */

/** One position's entries: collateral `c0 .. c1 - 1`, debt `d0 .. d1 - 1`. */
export interface PositionView {
  readonly collAsset: Int32Array;
  readonly collOracle: Int32Array;
  /** Token units, current. */
  readonly collAmount: Float64Array;
  /** Aave V3 liquidation threshold, Aave V4 collateral factor, Morpho lltv, Compound liquidateCollateralFactor. */
  readonly collThreshold: Float64Array;
  /** Aave V3 bonus above 1; Aave V4 maximum bonus above 1. */
  readonly collBonus: Float64Array;
  /** Aave V3 protocol fee share; Aave V4 liquidation fee. */
  readonly collProtocolFee: Float64Array;
  /** Compound liquidationFactor. */
  readonly collLiquidationFactor: Float64Array;
  readonly debtAsset: Int32Array;
  readonly debtOracle: Int32Array;
  readonly debtAmount: Float64Array;
}

/** The round's prices: oracle reports per oracle index, market prices per asset index (USD). */
export interface RoundPrices {
  readonly oracleUsd: Float64Array;
  readonly marketUsd: Float64Array;
}

/** What a kernel decided. */
export const NOT_LIQUIDATABLE = 0;
/** Liquidated by the rule: apply `repay` and `seize` to the chosen entries. */
export const LIQUIDATED = 1;
/** Liquidatable, but the liquidation does not pay: left alone this round. */
export const UNPROFITABLE = 2;
/** Liquidatable, but the rule leaves nothing to repay this round (Aave v3.3's dust rule). */
export const BLOCKED = 3;
/** Debt and no collateral at all: written off whole, nothing repaid or seized. */
export const WRITTEN_OFF = 4;
/** Compound's absorb: all debt cleared, all collateral taken. */
export const ABSORBED = 5;
/**
 * Liquidatable, but the protocol holds it (Aave flags, model 2.1): every pair it could take is
 * paused or in its grace period, or the L2 sentinel allows only lower health factors. Left alone,
 * its debt reported as held.
 */
export const HELD = 6;

/** A kernel's decision; one scratch object is reused for every position. */
export interface LiquidationDecision {
  outcome: number;
  /** Weighted collateral over debt at oracle reports; +Infinity without debt. */
  healthFactor: number;
  /** Σ d o, the position's debt at oracle reports. */
  debtUsd: number;
  /** Chosen entries (absolute indexes into the view's arrays), -1 when none. */
  debtEntry: number;
  collEntry: number;
  /** Debt tokens repaid and collateral tokens seized (before the fee). */
  repay: number;
  seize: number;
  /** Collateral tokens kept by the protocol; the liquidator sells `seize - fee`. */
  fee: number;
  /** The liquidator's profit at market prices, gas deducted (NaN for an absorb or a write-off). */
  profitUsd: number;
  /** Debt written off by this liquidation, at oracle reports. */
  badDebtUsd: number;
  /** True when the remaining debt is written off and the position leaves. */
  writeOff: boolean;
}

export const emptyLiquidationDecision = (): LiquidationDecision => ({
  outcome: NOT_LIQUIDATABLE,
  healthFactor: Number.POSITIVE_INFINITY,
  debtUsd: 0,
  debtEntry: -1,
  collEntry: -1,
  repay: 0,
  seize: 0,
  fee: 0,
  profitUsd: Number.NaN,
  badDebtUsd: 0,
  writeOff: false,
});

/** Resets the per-position fields of a reused decision. */
export function resetDecision(out: LiquidationDecision): void {
  out.outcome = NOT_LIQUIDATABLE;
  out.debtEntry = -1;
  out.collEntry = -1;
  out.repay = 0;
  out.seize = 0;
  out.fee = 0;
  out.profitUsd = Number.NaN;
  out.badDebtUsd = 0;
  out.writeOff = false;
}

/** Σ c o w over the collateral entries (w = the entry's threshold or factor). */
export function weightedCollateralUsd(
  view: PositionView,
  c0: number,
  c1: number,
  oracleUsd: Float64Array,
): number {
  let sum = 0;
  for (let e = c0; e < c1; e++)
    sum += view.collAmount[e]! * oracleUsd[view.collOracle[e]!]! * view.collThreshold[e]!;
  return sum;
}

/** Σ d o over the debt entries. */
export function debtValueUsd(view: PositionView, d0: number, d1: number, oracleUsd: Float64Array): number {
  let sum = 0;
  for (let e = d0; e < d1; e++) sum += view.debtAmount[e]! * oracleUsd[view.debtOracle[e]!]!;
  return sum;
}

/** True when every collateral amount is 0 (or there is none). */
export function hasNoCollateral(view: PositionView, c0: number, c1: number): boolean {
  for (let e = c0; e < c1; e++) if (view.collAmount[e]! > 0) return false;
  return true;
}

/**
 * The debt entry worth most at oracle reports; ties to the smaller asset (the earlier entry).
 * Assets marked 1 in `held` (per asset index) are passed over.
 */
export function largestDebtEntry(
  view: PositionView,
  d0: number,
  d1: number,
  oracleUsd: Float64Array,
  held: Uint8Array | null = null,
): number {
  let best = -1;
  let bestUsd = Number.NEGATIVE_INFINITY;
  for (let e = d0; e < d1; e++) {
    if (held !== null && held[view.debtAsset[e]!] === 1) continue;
    const usd = view.debtAmount[e]! * oracleUsd[view.debtOracle[e]!]!;
    if (usd > bestUsd) {
      bestUsd = usd;
      best = e;
    }
  }
  return best;
}

/**
 * The collateral entry worth most at oracle reports among those the rule may seize (a threshold
 * or factor above 0 and an amount above 0, not marked 1 in `held`); ties to the smaller asset.
 * -1 when none.
 */
export function largestSeizableEntry(
  view: PositionView,
  c0: number,
  c1: number,
  oracleUsd: Float64Array,
  held: Uint8Array | null = null,
): number {
  let best = -1;
  let bestUsd = Number.NEGATIVE_INFINITY;
  for (let e = c0; e < c1; e++) {
    if (!(view.collThreshold[e]! > 0) || !(view.collAmount[e]! > 0)) continue;
    if (held !== null && held[view.collAsset[e]!] === 1) continue;
    const usd = view.collAmount[e]! * oracleUsd[view.collOracle[e]!]!;
    if (usd > bestUsd) {
      bestUsd = usd;
      best = e;
    }
  }
  return best;
}

/** Σ of the debt left after repaying `repay` of entry `j`, at oracle reports; and whether any is left. */
export function debtLeftUsd(
  view: PositionView,
  d0: number,
  d1: number,
  j: number,
  repay: number,
  oracleUsd: Float64Array,
): number {
  let sum = 0;
  for (let e = d0; e < d1; e++) {
    const left = e === j ? Math.max(0, view.debtAmount[e]! - repay) : view.debtAmount[e]!;
    sum += left * oracleUsd[view.debtOracle[e]!]!;
  }
  return sum;
}

/** Whether any debt is left after repaying `repay` of entry `j`. */
export function hasDebtLeft(view: PositionView, d0: number, d1: number, j: number, repay: number): boolean {
  for (let e = d0; e < d1; e++) {
    const left = e === j ? Math.max(0, view.debtAmount[e]! - repay) : view.debtAmount[e]!;
    if (left > 0) return true;
  }
  return false;
}

/**
 * The liquidator's profit at market prices: `(seize - fee) p_coll - repay p_debt - gas`.
 * A liquidation that does not make more than 0 is not made.
 */
export function liquidationProfitUsd(
  view: PositionView,
  prices: RoundPrices,
  collEntry: number,
  debtEntry: number,
  seize: number,
  fee: number,
  repay: number,
  liquidationGasUsd: number,
): number {
  return (
    (seize - fee) * prices.marketUsd[view.collAsset[collEntry]!]! -
    repay * prices.marketUsd[view.debtAsset[debtEntry]!]! -
    liquidationGasUsd
  );
}

/**
 * The common start of every kernel: writes the outcome (not liquidatable, until the kernel says
 * otherwise), the debt and the health at oracle reports. The other fields are reset by
 * `resetDecision` once the position is liquidatable (most positions a round judges are not).
 * The write-off of a position with debt and no collateral at all is `writeOffWithoutCollateral`.
 */
export function judgeHealth(
  out: LiquidationDecision,
  view: PositionView,
  c0: number,
  c1: number,
  d0: number,
  d1: number,
  oracleUsd: Float64Array,
): void {
  out.outcome = NOT_LIQUIDATABLE;
  const weightedUsd = weightedCollateralUsd(view, c0, c1, oracleUsd);
  const debtUsd = debtValueUsd(view, d0, d1, oracleUsd);
  out.debtUsd = debtUsd;
  out.healthFactor = debtUsd > 0 ? weightedUsd / debtUsd : Number.POSITIVE_INFINITY;
}

/** Writes the write-off of a position with debt and no collateral at all; true when it applies. */
export function writeOffWithoutCollateral(
  out: LiquidationDecision,
  view: PositionView,
  c0: number,
  c1: number,
): boolean {
  if (!(out.debtUsd > 0) || !hasNoCollateral(view, c0, c1)) return false;
  out.outcome = WRITTEN_OFF;
  out.healthFactor = 0;
  out.badDebtUsd = out.debtUsd;
  out.writeOff = true;
  return true;
}

/**
 * The start both Aave kernels share: health at oracle reports; nothing more when healthy; the
 * write-off of a position without collateral; else the pair the liquidator takes (largest debt,
 * largest seizable collateral, ties to the smaller asset) in `out`, and with nothing seizable
 * the position is unprofitable (a liquidation would only cost gas). Returns true when the kernel
 * goes on to size the liquidation of that pair.
 *
 * Aave V3 flags (model 2.1, `aaveLiquidationFlags.ts`): a position at or above `healthLimit`
 * (0.95 under a sentinel that disallows, else 1) is held; the pair is taken among the assets not
 * marked in `held`, and a position whose every pair is held is held (HELD).
 */
export function judgeAavePair(
  out: LiquidationDecision,
  view: PositionView,
  c0: number,
  c1: number,
  d0: number,
  d1: number,
  oracleUsd: Float64Array,
  liquidationGasUsd: number,
  healthLimit = 1,
  held: Uint8Array | null = null,
): boolean {
  judgeHealth(out, view, c0, c1, d0, d1, oracleUsd);
  if (!(out.healthFactor < 1)) return false;
  resetDecision(out);
  if (writeOffWithoutCollateral(out, view, c0, c1)) return false;
  if (!(out.healthFactor < healthLimit)) {
    out.outcome = HELD;
    return false;
  }
  out.debtEntry = largestDebtEntry(view, d0, d1, oracleUsd, held);
  out.collEntry = largestSeizableEntry(view, c0, c1, oracleUsd, held);
  if (held !== null && (out.debtEntry < 0 || out.collEntry < 0)) {
    // Nothing free to take: held, unless even without the holds nothing could be seized.
    if (out.debtEntry < 0 || largestSeizableEntry(view, c0, c1, oracleUsd) >= 0) {
      out.outcome = HELD;
      out.debtEntry = -1;
      out.collEntry = -1;
      return false;
    }
  }
  if (out.collEntry < 0) {
    out.outcome = UNPROFITABLE;
    out.profitUsd = -liquidationGasUsd;
    return false;
  }
  return true;
}
