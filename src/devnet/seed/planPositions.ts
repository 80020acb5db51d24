import type { Address } from "viem";
import { UserInputError } from "../../core/errors.js";
import { createPrng, type Prng } from "../../core/random/createPrng.js";
import type { DevnetAssetId } from "../aave/AaveDeployment.js";
import {
  aavePosition,
  checkPositionCount,
  drawEdgeCase,
  drawHealthFactor,
  HF_CLUSTERS,
  LOOP_HF_CLUSTERS,
  morphoPosition,
  type PlanPositionsInput,
  seededAccount,
} from "./positionDraws.js";
import type {
  AavePositionPlan,
  DevnetAaveMarketName,
  MorphoPositionPlan,
  PositionPlan,
} from "./positionPlan.js";

/** Share of whales (collateral $3M-$10M instead of the log-normal body). */
const WHALE_PROBABILITY = 0.01;
/** Body of position sizes: log-normal collateral value, median $15k. */
const MEDIAN_COLLATERAL_USD = 15_000;
const SIZE_SIGMA = 1.1;

/**
 * The spot profile's book. Draws `positions` positions from `seed`: a third per Aave market and a
 * third on Morpho (split evenly when a protocol is absent). Aave: 55% one collateral against USDC,
 * 15% two collaterals, 15% wstETH/WETH eMode loops, 15% USDC collateral against WETH or WBTC (a
 * single-collateral USDC borrow instead where USDC is borrow-only). Sizes log-normal (median
 * $15k) with 1% whales; health factors clustered (1.08, 1.2, 1.35, 1.6, ±1%) plus a uniform tail,
 * never below what the LTV allows. Amounts round down to whole wei.
 */
export function planPositions(input: PlanPositionsInput): PositionPlan[] {
  checkPositionCount(input.positions);
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
  return aavePosition(
    input,
    { market, account, emode, usd, collateralShares, debtAsset, whale },
    (minimumHf) =>
      kind === "loop"
        ? drawHealthFactor(rng, LOOP_HF_CLUSTERS, [minimumHf, 1.12], minimumHf)
        : drawHealthFactor(rng, HF_CLUSTERS, [1.05, 3], minimumHf),
  );
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
  return morphoPosition(input, account, marketIndex, usd, healthFactor, whale);
}
