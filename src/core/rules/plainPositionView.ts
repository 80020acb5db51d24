/**
 * Plain holdings (asset, amount, prices, parameters) packed into the struct-of-arrays view the
 * kernels read, so the plain-object `decide…` functions run the very kernel the propagator runs.
 */
import type { PositionView, RoundPrices } from "./positionView.js";

/** One asset held by a position, for the plain-object API. */
export interface HeldAsset {
  readonly asset: string;
  /** Token units. */
  readonly amount: number;
  /** The protocol's oracle price, USD per unit. */
  readonly priceUsd: number;
  /** The market (DEX) price the liquidator trades at; default `priceUsd`. */
  readonly marketPriceUsd?: number | undefined;
}

/** A collateral holding with the factors the protocol weighs it by. */
export interface WeightedHolding extends HeldAsset {
  /** Threshold or factor in the health check. */
  readonly threshold: number;
  readonly bonus?: number | undefined;
  readonly fee?: number | undefined;
  readonly liquidationFactor?: number | undefined;
}

export interface PlainPositionView {
  readonly view: PositionView;
  readonly prices: RoundPrices;
  /** Entry `e` of the view is `collateral[order[e]]` (collateral first, then debt). */
  readonly collateral: readonly WeightedHolding[];
  readonly debt: readonly HeldAsset[];
  readonly c1: number;
  readonly d1: number;
}

const byAsset = (a: HeldAsset, b: HeldAsset): number => (a.asset < b.asset ? -1 : a.asset > b.asset ? 1 : 0);

/**
 * Collateral entries `0 .. c1 - 1` and debt entries `0 .. d1 - 1`, each sorted by asset id (the
 * model's tie order). Oracle and asset indexes are private to the view: collateral entry `e` reads
 * oracle/asset `e`, debt entry `e` reads `c1 + e`.
 */
export function plainPositionView(
  collateralIn: readonly WeightedHolding[],
  debtIn: readonly HeldAsset[],
): PlainPositionView {
  const collateral = [...collateralIn].sort(byAsset);
  const debt = [...debtIn].sort(byAsset);
  const c1 = collateral.length;
  const d1 = debt.length;
  const all: HeldAsset[] = [...collateral, ...debt];
  const view: PositionView = {
    collAsset: Int32Array.from(collateral, (_, e) => e),
    collOracle: Int32Array.from(collateral, (_, e) => e),
    collAmount: Float64Array.from(collateral, (h) => h.amount),
    collThreshold: Float64Array.from(collateral, (h) => h.threshold),
    collBonus: Float64Array.from(collateral, (h) => h.bonus ?? 0),
    collProtocolFee: Float64Array.from(collateral, (h) => h.fee ?? 0),
    collLiquidationFactor: Float64Array.from(collateral, (h) => h.liquidationFactor ?? 0),
    debtAsset: Int32Array.from(debt, (_, e) => c1 + e),
    debtOracle: Int32Array.from(debt, (_, e) => c1 + e),
    debtAmount: Float64Array.from(debt, (h) => h.amount),
  };
  const prices: RoundPrices = {
    oracleUsd: Float64Array.from(all, (h) => h.priceUsd),
    marketUsd: Float64Array.from(all, (h) => h.marketPriceUsd ?? h.priceUsd),
  };
  return { view, prices, collateral, debt, c1, d1 };
}
