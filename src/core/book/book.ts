/**
 * A snapshot compiled for simulation: struct-of-arrays, indexes instead of ids.
 *
 * Asset index order is the lexicographic order of asset ids (JavaScript string order, by
 * UTF-16 code unit), so "the smaller asset id" of the model is "the smaller index"; oracles and
 * markets are in id order too. Positions are sorted by market id, then account (the report's
 * order); each position's collateral and debt entries by asset index.
 */
import type { AssetId, MarketId, Protocol } from "../ids.js";
import type { AccountColumns } from "./bookAccounts.js";

/** Protocol codes in `Uint8Array`s (stable: they are bits of the source masks). */
export const PROTOCOL_AAVE = 0;
export const PROTOCOL_MORPHO = 1;
export const PROTOCOL_COMPOUND = 2;
export const PROTOCOL_AAVE_V4 = 3;
export const PROTOCOL_BY_CODE: readonly Protocol[] = ["aave-v3", "morpho-blue", "compound-v3", "aave-v4"];

/** Liquidity kind codes. `depth` is compiled to the equivalent constant-product pool. */
export const LIQUIDITY_INFINITE = 0;
export const LIQUIDITY_POOL = 1;
export const LIQUIDITY_CONCENTRATED = 2;

/** Oracle kind codes. */
export const ORACLE_MARKET = 0;
export const ORACLE_RATE = 1;
export const ORACLE_FIXED = 2;

export interface BookAssets {
  readonly count: number;
  /** Sorted lexicographically. */
  readonly ids: readonly AssetId[];
  readonly indexOf: ReadonlyMap<string, number>;
  /** USD per token unit, as in the snapshot (the market price at load). */
  readonly priceUsd: Float64Array;
  /** Quote asset index, -1 for USD. */
  readonly quote: Int32Array;
  /** 1 for an asset quoted in USD, else 1 + its quote's depth. */
  readonly depth: Int32Array;
  /** Pool price at load: quote units per unit (`priceUsd / priceUsd of the quote`). */
  readonly poolPrice: Float64Array;
  readonly liquidityKind: Uint8Array;
  /** Constant-product reserves: `x` token units against `y` quote units (`NaN` otherwise). */
  readonly poolAsset: Float64Array;
  readonly poolQuote: Float64Array;
  /** Pool fee as a fraction (`feeBps / 10000`). */
  readonly feeRate: Float64Array;
  /**
   * Concentrated ranges of asset `a`: `rangeStart[a] .. rangeStart[a + 1] - 1`, ascending and
   * disjoint, with `sqrt(lower)`, `sqrt(upper)` and `L` in token units.
   */
  readonly rangeStart: Int32Array;
  readonly rangeSqrtLower: Float64Array;
  readonly rangeSqrtUpper: Float64Array;
  readonly rangeLiquidity: Float64Array;
  /** Leader asset index, or -1. */
  readonly leader: Int32Array;
  readonly beta: Float64Array;
  /** Every asset after its quote and its leader; ties by index. */
  readonly dependencyOrder: Int32Array;
  /** Decreasing depth, ties by index: the order in which a round's trades are netted. */
  readonly tradeOrder: Int32Array;
}

export interface BookOracles {
  readonly count: number;
  /** Sorted lexicographically; asset `a`'s own oracle has the asset's id. */
  readonly ids: readonly string[];
  readonly indexOf: ReadonlyMap<string, number>;
  readonly kind: Uint8Array;
  /** Market oracles: the asset whose market price they report. */
  readonly asset: Int32Array;
  /** Rate oracles: the oracle whose report they scale. */
  readonly source: Int32Array;
  readonly scale: Float64Array;
  /** Market oracles: the deviation threshold (0 = every move). */
  readonly deviation: Float64Array;
  /** The report at load (the snapshot's `reportedUsd`, else `scale × priceUsd`; fixed: the price). */
  readonly reportedUsd: Float64Array;
  /** Every oracle after the one it scales; ties by index. */
  readonly updateOrder: Int32Array;
  /** Per asset index, the asset's own oracle. */
  readonly ofAsset: Int32Array;
  /** Oracles some market resolves for an asset it names, ascending: the report's `oraclePrices`. */
  readonly reported: Int32Array;
}

export interface BookMarkets {
  readonly count: number;
  /** Sorted lexicographically. */
  readonly ids: readonly MarketId[];
  readonly protocol: Uint8Array;
  /** What one liquidation costs its liquidator in gas, USD. */
  readonly liquidationGasUsd: Float64Array;
  /** Aave: 1 for `v3.3`, 0 for `v3.0`. */
  readonly aaveLogicV33: Uint8Array;
  readonly closeFactor: Float64Array;
  readonly closeFactorHfThreshold: Float64Array;
  readonly fullCloseBelowUsd: Float64Array;
  readonly minLeftoverUsd: Float64Array;
  /** Aave V4: target health factor, health for the maximum bonus, bonus factor, dust. */
  readonly targetHealthFactor: Float64Array;
  readonly healthFactorForMaxBonus: Float64Array;
  readonly liquidationBonusFactor: Float64Array;
  readonly dustUsd: Float64Array;
  /** Morpho: lltv and the liquidation incentive factor `min(1.15, 1 / (0.3 lltv + 0.7))`. */
  readonly lltv: Float64Array;
  readonly liquidationIncentiveFactor: Float64Array;
  /** Morpho: collateral and loan asset index; Compound: base asset index in `loanAsset`; else -1. */
  readonly collateralAsset: Int32Array;
  readonly loanAsset: Int32Array;
  /** Compound: 1 when absorbed collateral is sold (and the base bought). */
  readonly sellsAbsorbed: Uint8Array;
  /** Aave V3 (model 2.1): positions may be liquidated below this health factor (1; 0.95 under a sentinel that disallows). */
  readonly liquidationHealthLimit: Float64Array;
  /** Aave V3 (model 2.1): per asset index, 1 when no liquidation may seize or repay it now; null when none is held. */
  readonly heldAssets: ReadonlyArray<Uint8Array | null>;
  /** True when some market holds a reserve or has a sentinel that disallows: the report counts held positions. */
  readonly anyHeld: boolean;
}

/**
 * Positions as compressed rows (CSR): position `i`'s collateral entries are
 * `collStart[i] .. collStart[i + 1] - 1`, sorted by asset index; the same for debt.
 */
export interface BookPositions {
  readonly count: number;
  readonly market: Int32Array;
  readonly protocol: Uint8Array;
  /** Each position's account, as columns (`accountAt` in `bookAccounts.ts` gives one as text). */
  readonly accounts: AccountColumns;
  /** Aave eMode category (0 = none). */
  readonly emode: Int32Array;
  readonly collStart: Int32Array;
  readonly collAsset: Int32Array;
  /** The oracle the position's market reads for this collateral. */
  readonly collOracle: Int32Array;
  /** Token units. */
  readonly collAmount: Float64Array;
  /**
   * Per collateral entry, the factor that weighs its value in the health check: Aave V3's
   * effective liquidation threshold (eMode applied), Aave V4's collateral factor (dynamic
   * configuration applied), Morpho's lltv, Compound's liquidateCollateralFactor.
   */
  readonly collThreshold: Float64Array;
  /** Aave V3: effective liquidation bonus above 1; Aave V4: maximum liquidation bonus above 1. */
  readonly collBonus: Float64Array;
  /** Aave V3: share of the bonus kept by the protocol; Aave V4: the liquidation fee. */
  readonly collProtocolFee: Float64Array;
  /** Compound: liquidationFactor (what absorption credits per USD of collateral). */
  readonly collLiquidationFactor: Float64Array;
  readonly debtStart: Int32Array;
  readonly debtAsset: Int32Array;
  readonly debtOracle: Int32Array;
  readonly debtAmount: Float64Array;
}

/**
 * Positions with debt, grouped by the oracles they are judged by (collateral oracle set, debt
 * oracle set) and sorted by their health at the book's oracle reports. When every collateral
 * report of a group moved by at least `fMin` and every debt report by at most `fMax` (ratios to
 * the book's), a member's health is at least `healthFactor0 * fMin / fMax`: a round only judges
 * the members below `1 / (fMin / fMax)` (with a small margin). "Health" here is weighted
 * collateral over debt for every protocol.
 */
export interface LiquidationIndex {
  /** Group `g`'s collateral oracles are `groupCollOracle[groupCollStart[g] .. groupCollStart[g + 1] - 1]`. */
  readonly groupCollStart: Int32Array;
  readonly groupCollOracle: Int32Array;
  readonly groupDebtStart: Int32Array;
  readonly groupDebtOracle: Int32Array;
  /** Group `g`'s members are `positions[groupStart[g] .. groupStart[g + 1] - 1]`. */
  readonly groupStart: Int32Array;
  readonly positions: Int32Array;
  /** Health of `positions[k]` at the book's reports, rounded down to 1/4096 (a lower bound); ascending within a group. */
  readonly healthFactor0: Float64Array;
  /** Group of each position (by position index), -1 for positions without debt. */
  readonly groupOf: Int32Array;
}

export interface Book {
  readonly assets: BookAssets;
  readonly oracles: BookOracles;
  readonly markets: BookMarkets;
  readonly positions: BookPositions;
  readonly index: LiquidationIndex;
}
