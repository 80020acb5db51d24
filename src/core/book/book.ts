/**
 * A snapshot compiled for simulation: struct-of-arrays, indexes instead of ids.
 *
 * Asset index order is the lexicographic order of asset ids (JavaScript string order, by
 * UTF-16 code unit), so "the smaller asset id" of the model is "the smaller index". Market
 * index order is the lexicographic order of market ids. Positions are sorted by market id, then
 * account (the report's order); each position's collateral and debt entries by asset index.
 */
import type { AccountId, AssetId, MarketId, Protocol } from "../ids.js";

/** Protocol codes in `Uint8Array`s. */
export const PROTOCOL_AAVE = 0;
export const PROTOCOL_MORPHO = 1;
export const PROTOCOL_COMPOUND = 2;
export const PROTOCOL_BY_CODE: readonly Protocol[] = ["aave-v3", "morpho-blue", "compound-v3"];

/** Liquidity kind codes. `depth` is compiled to an equivalent pool. */
export const LIQUIDITY_INFINITE = 0;
export const LIQUIDITY_POOL = 1;

export interface BookAssets {
  readonly count: number;
  /** Sorted lexicographically. */
  readonly ids: readonly AssetId[];
  readonly indexOf: ReadonlyMap<string, number>;
  /** USD per token unit, as in the snapshot. */
  readonly priceUsd: Float64Array;
  readonly liquidityKind: Uint8Array;
  /** Pool reserves: `x` token units against `y` USD (`NaN` for infinite liquidity). */
  readonly poolAsset: Float64Array;
  readonly poolUsd: Float64Array;
  /** Pool fee as a fraction (`feeBps / 10000`). */
  readonly feeRate: Float64Array;
  /** Leader asset index, or -1. */
  readonly leader: Int32Array;
  readonly beta: Float64Array;
  /** Assets that have a leader, in topological order (leaders first; ties by index). */
  readonly followerOrder: Int32Array;
}

export interface BookMarkets {
  readonly count: number;
  /** Sorted lexicographically. */
  readonly ids: readonly MarketId[];
  readonly protocol: Uint8Array;
  /** Aave: 1 for `v3.3`, 0 for `v3.0`. */
  readonly aaveLogicV33: Uint8Array;
  readonly closeFactor: Float64Array;
  readonly closeFactorHfThreshold: Float64Array;
  readonly fullCloseBelowUsd: Float64Array;
  readonly minLeftoverUsd: Float64Array;
  /** Morpho: lltv and the liquidation incentive factor `min(1.15, 1 / (0.3 lltv + 0.7))`. */
  readonly lltv: Float64Array;
  readonly liquidationIncentiveFactor: Float64Array;
  /** Morpho: collateral and loan asset index; Compound: base asset index in `loanAsset`; else -1. */
  readonly collateralAsset: Int32Array;
  readonly loanAsset: Int32Array;
}

/**
 * Positions as compressed rows (CSR): position `i`'s collateral entries are
 * `collStart[i] .. collStart[i + 1] - 1`, sorted by asset index; the same for debt.
 */
export interface BookPositions {
  readonly count: number;
  readonly market: Int32Array;
  readonly protocol: Uint8Array;
  readonly account: readonly AccountId[];
  /** Aave eMode category (0 = none). */
  readonly emode: Int32Array;
  readonly collStart: Int32Array;
  readonly collAsset: Int32Array;
  /** Token units. */
  readonly collAmount: Float64Array;
  /**
   * Per collateral entry, the factor that weighs its value in the health check: Aave's effective
   * liquidation threshold (eMode applied), Morpho's lltv, Compound's liquidateCollateralFactor.
   */
  readonly collThreshold: Float64Array;
  /** Aave: effective liquidation bonus above 1 (eMode applied). */
  readonly collBonus: Float64Array;
  /** Aave: share of the bonus kept by the protocol. */
  readonly collProtocolFee: Float64Array;
  /** Compound: liquidationFactor (what absorption credits per USD of collateral). */
  readonly collLiquidationFactor: Float64Array;
  readonly debtStart: Int32Array;
  readonly debtAsset: Int32Array;
  readonly debtAmount: Float64Array;
}

/**
 * Positions with debt, grouped by the set of assets they hold (collateral set, debt set) and
 * sorted by their health at the book's prices, ascending. When every price of a group's
 * collateral assets moved by at least `fMin` and every price of its debt assets by at most
 * `fMax` (ratios to the book's prices), a member's health is at least `healthFactor0 * fMin / fMax`:
 * a round only judges the members below `1 / (fMin / fMax)` (with a small margin).
 * "Health" here is weighted collateral over debt for every protocol (Aave's health factor,
 * Morpho's lltv, Compound's liquidateCollateralFactor).
 */
export interface LiquidationIndex {
  /** Group `g`'s collateral assets are `groupCollAsset[groupCollStart[g] .. groupCollStart[g + 1] - 1]`. */
  readonly groupCollStart: Int32Array;
  readonly groupCollAsset: Int32Array;
  readonly groupDebtStart: Int32Array;
  readonly groupDebtAsset: Int32Array;
  /** Group `g`'s members are `positions[groupStart[g] .. groupStart[g + 1] - 1]`. */
  readonly groupStart: Int32Array;
  readonly positions: Int32Array;
  /** Health of `positions[k]` at the book's prices, rounded down to 1/4096 (a lower bound); ascending within a group. */
  readonly healthFactor0: Float64Array;
  /** Group of each position (by position index), -1 for positions without debt. */
  readonly groupOf: Int32Array;
}

export interface Book {
  readonly assets: BookAssets;
  readonly markets: BookMarkets;
  readonly positions: BookPositions;
  readonly index: LiquidationIndex;
}
