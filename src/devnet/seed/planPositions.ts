import { type Address, getAddress, keccak256, stringToHex } from "viem";
import { UserInputError } from "../../core/errors.js";
import { createPrng, type Prng } from "../../core/random/createPrng.js";
import type { AaveEModeParams, AaveReserveParams, DevnetAssetId } from "../aave/AaveDeployment.js";
import type { MorphoMarketSpec } from "../morpho/deployMorphoBlue.js";
import type {
  AavePositionPlan,
  DevnetAaveMarketName,
  MorphoPositionPlan,
  PositionPlan,
} from "./positionPlan.js";

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

/** Share of whales (collateral $3M-$10M instead of the log-normal body). */
const WHALE_PROBABILITY = 0.01;
/** Body of position sizes: log-normal collateral value, median $15k. */
const MEDIAN_COLLATERAL_USD = 15_000;
const SIZE_SIGMA = 1.1;
/** Health factors cluster: many positions share the same few liquidation prices (price / HF). */
const HF_CLUSTERS: ReadonlyArray<readonly [number, number]> = [
  [1.08, 0.3],
  [1.2, 0.3],
  [1.35, 0.15],
  [1.6, 0.1],
];
/** Correlated loops (LST against ETH) run tight: HF 1.03 or 1.06, a few up to 1.12. */
const LOOP_HF_CLUSTERS: ReadonlyArray<readonly [number, number]> = [
  [1.03, 0.5],
  [1.06, 0.35],
];

/** The address of seeded position `index` (no key exists; the devnet impersonates it). */
export function seededAccount(seed: number, index: number): Address {
  return getAddress(`0x${keccak256(stringToHex(`cascade-monitor devnet ${seed} ${index}`)).slice(-40)}`);
}

/**
 * Draws `positions` positions from `seed`: a third per Aave market and a third on Morpho (split
 * evenly when a protocol is absent). Aave: 55% one collateral against USDC, 15% two collaterals,
 * 15% wstETH/WETH eMode loops, 15% USDC collateral against WETH or WBTC (a single-collateral USDC
 * borrow instead where USDC is borrow-only). Sizes log-normal (median
 * $15k) with 1% whales; health factors clustered (1.08, 1.2, 1.35, 1.6, ±1%) plus a uniform tail,
 * never below what the LTV allows. Amounts round down to whole wei.
 */
export function planPositions(input: PlanPositionsInput): PositionPlan[] {
  if (!Number.isInteger(input.positions) || input.positions < 0) {
    throw new UserInputError(`positions must be a whole number >= 0, got ${input.positions}`);
  }
  const rng = createPrng(input.seed);
  const venues: Array<readonly [DevnetAaveMarketName | "morpho", number]> = [
    ...input.aaveMarkets.map((market) => [market, 1] as const),
    ...(input.morphoMarkets.length > 0 ? [["morpho", 1] as const] : []),
  ];
  if (venues.length === 0 && input.positions > 0) {
    throw new UserInputError("positions need at least one Aave market or Morpho market");
  }
  const plans: PositionPlan[] = [];
  for (let index = 0; index < input.positions; index += 1) {
    const account = seededAccount(input.seed, index);
    const venue = rng.weighted(venues);
    plans.push(venue === "morpho" ? planMorpho(input, rng, account) : planAave(input, rng, account, venue));
  }
  return plans;
}

function drawCollateralUsd(rng: Prng): { usd: number; whale: boolean } {
  if (rng.next() < WHALE_PROBABILITY) return { usd: rng.uniform(3_000_000, 10_000_000), whale: true };
  const usd = MEDIAN_COLLATERAL_USD * Math.exp(SIZE_SIGMA * rng.normal());
  return { usd: Math.min(Math.max(usd, 500), 2_000_000), whale: false };
}

interface EdgeCase {
  readonly kind: "single" | "multi";
  readonly usd: number;
  readonly whale: false;
  readonly shares: Array<readonly [DevnetAssetId, number]>;
}

/** A position just inside the v3.3 full-close exemption, or one whose close-factor leftovers are dust. */
function drawEdgeCase(rng: Prng): EdgeCase {
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

function drawHealthFactor(
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

function planAave(
  input: PlanPositionsInput,
  rng: Prng,
  account: Address,
  market: DevnetAaveMarketName,
): AavePositionPlan {
  const edge = (input.edgeCases ?? 0) > 0 && rng.next() < input.edgeCases! ? drawEdgeCase(rng) : undefined;
  const { usd, whale } = edge ?? drawCollateralUsd(rng);
  const drawn =
    edge?.kind ??
    rng.weighted([
      ["single", 0.55],
      ["multi", 0.15],
      ["loop", 0.15],
      ["short", 0.15],
    ] as const);
  // A USDC-collateral short cannot be opened where USDC is borrow-only: it borrows USDC instead.
  const kind =
    drawn === "short" && (input.aaveBorrowOnly?.[market] ?? []).includes("USDC") ? "single" : drawn;
  let collateralShares: Array<readonly [DevnetAssetId, number]>;
  let debtAsset: DevnetAssetId;
  let emode = 0;
  if (edge !== undefined) {
    collateralShares = edge.shares;
    debtAsset = "USDC";
  } else if (kind === "single") {
    collateralShares = [
      [
        rng.weighted([
          ["WETH", 0.5],
          ["WBTC", 0.3],
          ["wstETH", 0.2],
        ] as const),
        1,
      ],
    ];
    debtAsset = "USDC";
  } else if (kind === "multi") {
    const second = rng.weighted([
      ["WBTC", 0.6],
      ["wstETH", 0.4],
    ] as const);
    const share = rng.uniform(0.3, 0.7);
    collateralShares = [
      ["WETH", share],
      [second, 1 - share],
    ];
    debtAsset = "USDC";
  } else if (kind === "loop") {
    collateralShares = [["wstETH", 1]];
    debtAsset = "WETH";
    emode = input.aaveEmode.id;
  } else {
    collateralShares = [["USDC", 1]];
    debtAsset = rng.weighted([
      ["WETH", 0.7],
      ["WBTC", 0.3],
    ] as const);
  }
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
  const minimumHf = weightedThresholdUsd / weightedLtvUsd;
  const healthFactor =
    kind === "loop"
      ? drawHealthFactor(rng, LOOP_HF_CLUSTERS, [minimumHf, 1.12], minimumHf)
      : drawHealthFactor(rng, HF_CLUSTERS, [1.05, 3], minimumHf);
  const debtUsd = weightedThresholdUsd / healthFactor;
  return {
    protocol: "aave-v3",
    market,
    account,
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
    whale,
  };
}

function planMorpho(input: PlanPositionsInput, rng: Prng, account: Address): MorphoPositionPlan {
  const marketIndex = Math.floor(rng.next() * input.morphoMarkets.length);
  const market = input.morphoMarkets[marketIndex];
  if (market === undefined) throw new RangeError("no Morpho market");
  const { usd, whale } = drawCollateralUsd(rng);
  const correlated = market.collateral === "wstETH" && market.loan === "WETH";
  const healthFactor = correlated
    ? drawHealthFactor(rng, LOOP_HF_CLUSTERS, [1.01, 1.12], 1)
    : drawHealthFactor(rng, HF_CLUSTERS, [1.05, 3], 1);
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
