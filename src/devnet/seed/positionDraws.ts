/**
 * The pieces both books draw with (`planPositions`, the spot book; `planMainnetPositions`, the
 * mainnet book): the plan's input, accounts, health-factor clusters and the amounts of an Aave or
 * Morpho position from its value, collateral mix and health factor.
 */
import { type Address, getAddress, keccak256, stringToHex } from "viem";
import { UserInputError } from "../../core/errors.js";
import type { Prng } from "../../core/random/createPrng.js";
import type { AaveEModeParams, AaveReserveParams, DevnetAssetId } from "../aave/AaveDeployment.js";
import type { MorphoMarketSpec } from "../morpho/deployMorphoBlue.js";
import type { AavePositionPlan, DevnetAaveMarketName, MorphoPositionPlan } from "./positionPlan.js";

export interface PlanPositionsInput {
  seed: number;
  positions: number;
  /** USD price of each asset at seeding time (what the oracles answer). */
  pricesUsd: Record<DevnetAssetId, number>;
  decimals: Record<DevnetAssetId, number>;
  aaveMarkets: readonly DevnetAaveMarketName[];
  aaveReserves: Record<DevnetAssetId, AaveReserveParams>;
  /** Reserves that are borrow-only in a market: no position there holds them as collateral. */
  aaveBorrowOnly?: Partial<Record<DevnetAaveMarketName, readonly DevnetAssetId[]>>;
  aaveEmode: AaveEModeParams;
  morphoMarkets: readonly MorphoMarketSpec[];
  /**
   * Share (0-1, default 0) of Aave positions drawn as edge cases of the v3.3 close rules instead:
   * half small (one WETH collateral of $1,000-$1,900, so a liquidation above the close-factor
   * threshold may close it fully), half even (WETH and WBTC collateral split 45-55%, $4,000-$9,000,
   * so a close-factor liquidation would leave less than $1,000 of the seized collateral: the dust
   * rule decides). With 0 the draws are exactly those of a plan without the option.
   */
  edgeCases?: number;
}

/** Health factors cluster: many positions share the same few liquidation prices (price / HF). */
export const HF_CLUSTERS: ReadonlyArray<readonly [number, number]> = [
  [1.08, 0.3],
  [1.2, 0.3],
  [1.35, 0.15],
  [1.6, 0.1],
];
/** Correlated loops (LST against ETH) run tight: HF 1.03 or 1.06, a few up to 1.12. */
export const LOOP_HF_CLUSTERS: ReadonlyArray<readonly [number, number]> = [
  [1.03, 0.5],
  [1.06, 0.35],
];

/** The address of seeded position `index` (no key exists; the devnet impersonates it). */
export function seededAccount(seed: number, index: number): Address {
  return getAddress(`0x${keccak256(stringToHex(`cascade-monitor devnet ${seed} ${index}`)).slice(-40)}`);
}

export function checkPositionCount(positions: number): void {
  if (!Number.isInteger(positions) || positions < 0) {
    throw new UserInputError(`positions must be a whole number >= 0, got ${positions}`);
  }
}

/**
 * A health factor from `clusters` (each ±1%, normal) or, for the weight the clusters leave, uniform
 * over `tail`; never below `minimum` (what the LTV allows) plus a 0.3% margin.
 */
export function drawHealthFactor(
  rng: Prng,
  clusters: ReadonlyArray<readonly [number, number]>,
  tail: readonly [number, number],
  minimum: number,
): number {
  const clusterWeight = clusters.reduce((sum, [, weight]) => sum + weight, 0);
  const hf =
    rng.next() < clusterWeight
      ? rng.weighted(clusters) * (1 + 0.01 * rng.normal())
      : rng.uniform(tail[0], tail[1]);
  // A small margin over the LTV bound so rounding never makes the borrow exceed it.
  return Math.max(hf, minimum * 1.003);
}

export interface EdgeCase {
  readonly kind: "single" | "multi";
  readonly usd: number;
  readonly whale: false;
  readonly shares: Array<readonly [DevnetAssetId, number]>;
}

/** A position just inside the v3.3 full-close exemption, or one whose close-factor leftovers are dust. */
export function drawEdgeCase(rng: Prng): EdgeCase {
  if (rng.next() < 0.5) {
    return { kind: "single", usd: rng.uniform(1_000, 1_900), whale: false, shares: [["WETH", 1]] };
  }
  const share = rng.uniform(0.45, 0.55);
  return {
    kind: "multi",
    usd: rng.uniform(4_000, 9_000),
    whale: false,
    shares: [
      ["WETH", share],
      ["WBTC", 1 - share],
    ],
  };
}

export interface AaveDraw {
  readonly market: DevnetAaveMarketName;
  readonly account: Address;
  /** eMode category, 0 for none. */
  readonly emode: number;
  /** Collateral value in USD at the seeding prices, split by `collateralShares`. */
  readonly usd: number;
  readonly collateralShares: ReadonlyArray<readonly [DevnetAssetId, number]>;
  readonly debtAsset: DevnetAssetId;
  readonly whale: boolean;
}

/**
 * The Aave position of `draw` at the health factor `healthFactorOf(minimumHf)` returns
 * (`minimumHf`: the health factor of a borrow at the LTV): debt = Σ value × threshold / HF, with
 * the eMode's threshold and LTV in eMode. Amounts round down to whole wei.
 */
export function aavePosition(
  input: PlanPositionsInput,
  draw: AaveDraw,
  healthFactorOf: (minimumHf: number) => number,
): AavePositionPlan {
  const { usd, emode, collateralShares, debtAsset } = draw;
  const threshold = (asset: DevnetAssetId): number =>
    (emode !== 0 ? input.aaveEmode.liquidationThresholdBps : reserve(input, asset).liquidationThresholdBps) /
    1e4;
  const ltv = (asset: DevnetAssetId): number =>
    (emode !== 0 ? input.aaveEmode.ltvBps : reserve(input, asset).ltvBps) / 1e4;
  const weightedThresholdUsd = collateralShares.reduce(
    (sum, [asset, share]) => sum + usd * share * threshold(asset),
    0,
  );
  const weightedLtvUsd = collateralShares.reduce((sum, [asset, share]) => sum + usd * share * ltv(asset), 0);
  const healthFactor = healthFactorOf(weightedThresholdUsd / weightedLtvUsd);
  const debtUsd = weightedThresholdUsd / healthFactor;
  return {
    protocol: "aave-v3",
    market: draw.market,
    account: draw.account,
    emode,
    collateral: collateralShares.map(([asset, share]) => ({
      asset,
      amountWei: toWei((usd * share) / price(input, asset), decimalsOf(input, asset)),
    })),
    debt: {
      asset: debtAsset,
      amountWei: toWei(debtUsd / price(input, debtAsset), decimalsOf(input, debtAsset)),
    },
    healthFactor,
    whale: draw.whale,
  };
}

/** The Morpho position in market `marketIndex` of `usd` collateral at `healthFactor` (value × LLTV / debt). */
export function morphoPosition(
  input: PlanPositionsInput,
  account: Address,
  marketIndex: number,
  usd: number,
  healthFactor: number,
  whale: boolean,
): MorphoPositionPlan {
  const market = input.morphoMarkets[marketIndex];
  if (market === undefined) throw new RangeError("no Morpho market");
  const debtUsd = (usd * market.lltv) / healthFactor;
  return {
    protocol: "morpho-blue",
    marketIndex,
    account,
    collateralWei: toWei(usd / price(input, market.collateral), decimalsOf(input, market.collateral)),
    debtWei: toWei(debtUsd / price(input, market.loan), decimalsOf(input, market.loan)),
    healthFactor,
    whale,
  };
}

/** Token units to wei, rounded down (float precision is far below the 0.3% LTV margin). */
export function toWei(units: number, decimals: number): bigint {
  return BigInt(Math.floor(units * 10 ** decimals));
}

function reserve(input: PlanPositionsInput, asset: DevnetAssetId): AaveReserveParams {
  const params = input.aaveReserves[asset];
  if (params === undefined) throw new UserInputError(`no Aave reserve parameters for ${asset}`);
  return params;
}

function price(input: PlanPositionsInput, asset: DevnetAssetId): number {
  const value = input.pricesUsd[asset];
  if (value === undefined || !(value > 0)) throw new UserInputError(`no price for ${asset}`);
  return value;
}

function decimalsOf(input: PlanPositionsInput, asset: DevnetAssetId): number {
  const value = input.decimals[asset];
  if (value === undefined) throw new UserInputError(`no decimals for ${asset}`);
  return value;
}
