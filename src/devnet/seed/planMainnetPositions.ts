import type { Address } from "viem";
import { UserInputError } from "../../core/errors.js";
import { createPrng, type Prng } from "../../core/random/createPrng.js";
import type { DevnetAssetId } from "../aave/AaveDeployment.js";
import type { UniswapV3PoolSpec } from "../uniswap/deployUniswapV3.js";
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
import type { DevnetAaveMarketName, PositionPlan } from "./positionPlan.js";

/** Collateral of the mainnet book's whales (USD), by kind: loops and ETH against stablecoins. */
export interface MainnetWhaleSizes {
  readonly loop: readonly [number, number];
  readonly stable: readonly [number, number];
}

export interface PlanMainnetPositionsInput extends PlanPositionsInput {
  /** Whale sizes (default: `mainnetWhaleSizes` of the mainnet profile's pools). */
  whaleCollateralUsd: MainnetWhaleSizes;
}

/** The book's kinds, by share of the positions that are not whales. */
const KINDS = [
  ["loop", 0.3],
  ["stable", 0.45],
  ["small", 0.2],
  ["short", 0.05],
] as const;
type Kind = (typeof KINDS)[number][0];

/** Share of whales; two in three are loops. */
const WHALE_PROBABILITY = 0.01;
const LOOP_WHALE_SHARE = 2 / 3;
/** A whale against stablecoins holds back: HF 1.3-1.6, so an ETH fall of 20% alone leaves it healthy. */
const STABLE_WHALE_HF: readonly [number, number] = [1.3, 1.6];
/** Loops run large: log-normal collateral, median $60k (ETH or BTC against stablecoins: $15k). */
const LOOP_SIZE = { medianUsd: 60_000, sigma: 1.2, minUsd: 5_000, maxUsd: 5_000_000 } as const;
const STABLE_SIZE = { medianUsd: 15_000, sigma: 1.1, minUsd: 1_000, maxUsd: 2_000_000 } as const;
/** Small positions: collateral log-uniform $50-$500, below what a realistic gas cost lets liquidate. */
export const SMALL_COLLATERAL_USD: readonly [number, number] = [50, 500];

/**
 * Whales sized by the pools they would sell into: collateral 1 to 2 times the value of the
 * deepest range of the WETH/USDC pool (ETH against stablecoins) or of the wstETH/WETH pool
 * (loops), so that one close-factor liquidation of a stable whale (half its debt plus the bonus,
 * at HF 1.3-1.6) seizes more WETH than any other range of its pool holds.
 */
export function mainnetWhaleSizes(pools: readonly UniswapV3PoolSpec[]): MainnetWhaleSizes {
  const deepest = (asset: DevnetAssetId, quote: DevnetAssetId, fallbackUsd: number): number => {
    const pool = pools.find((p) => p.asset === asset && p.quote === quote);
    return pool === undefined ? fallbackUsd : Math.max(...pool.ranges.map((range) => range.valueUsd));
  };
  const stable = deepest("WETH", "USDC", 3_000_000);
  const loop = deepest("wstETH", "WETH", 3_000_000);
  return { stable: [stable, 2 * stable], loop: [loop, 2 * loop] };
}

type Venue =
  | { readonly kind: "aave"; readonly market: DevnetAaveMarketName }
  | { readonly kind: "morpho"; readonly marketIndex: number };

/**
 * The mainnet profile's book, drawn from `seed` in mainnet's shape. Of the positions that are not
 * whales: 30% wstETH/WETH loops (Aave eMode in either market, or Morpho's wstETH/WETH market;
 * log-normal collateral, median $60k; HF 1.03/1.06 clusters); 45% ETH and BTC against USDC (WETH,
 * WBTC or wstETH, a quarter of them two collaterals, on Aave V3.0, where USDC is the borrow-only
 * reserve, Aave V3.6 or Morpho's USDC markets; median $15k); 20% small positions ($50-$500 of one
 * collateral against USDC, spread over the same venues) whose liquidation a realistic gas cost does
 * not pay; 5% USDC collateral against WETH or WBTC on Aave V3.6. 1% whales, two in three of them
 * loops, sized by `whaleCollateralUsd`: WETH against USDC at HF 1.3-1.6, or wstETH/WETH loops. The
 * loops carry the largest share of the debt. `edgeCases` draws Aave v3.3 close-rule cases first.
 * Amounts round down to whole wei.
 */
export function planMainnetPositions(input: PlanMainnetPositionsInput): PositionPlan[] {
  checkPositionCount(input.positions);
  const rng = createPrng(input.seed);
  const morpho = (match: (collateral: DevnetAssetId, loan: DevnetAssetId) => boolean): Venue[] =>
    input.morphoMarkets.flatMap((market, marketIndex) =>
      match(market.collateral, market.loan) ? [{ kind: "morpho" as const, marketIndex }] : [],
    );
  const aave = (allowed: (market: DevnetAaveMarketName) => boolean): Venue[] =>
    input.aaveMarkets.filter(allowed).map((market) => ({ kind: "aave" as const, market }));
  const borrowOnly = (market: DevnetAaveMarketName, asset: DevnetAssetId): boolean =>
    (input.aaveBorrowOnly?.[market] ?? []).includes(asset);
  const venues: Record<Kind, Venue[]> = {
    loop: [...aave(() => true), ...morpho((c, l) => c === "wstETH" && l === "WETH")],
    stable: [...aave(() => true), ...morpho((_, l) => l === "USDC")],
    small: [...aave(() => true), ...morpho((_, l) => l === "USDC")],
    short: aave((market) => !borrowOnly(market, "USDC")),
  };
  const stableWhaleVenues = [...aave(() => true), ...morpho((c, l) => c === "WETH" && l === "USDC")];
  const kinds = KINDS.filter(([kind]) => venues[kind].length > 0);
  if (kinds.length === 0 && input.positions > 0)
    throw new UserInputError("positions need at least one Aave market or Morpho market");
  const plans: PositionPlan[] = [];
  for (let index = 0; index < input.positions; index += 1) {
    const account = seededAccount(input.seed, index);
    const edge = (input.edgeCases ?? 0) > 0 && input.aaveMarkets.length > 0 && rng.next() < input.edgeCases!;
    if (edge) {
      const market = pick(rng, input.aaveMarkets);
      const drawn = drawEdgeCase(rng);
      plans.push(
        aavePosition(
          input,
          {
            market,
            account,
            emode: 0,
            usd: drawn.usd,
            collateralShares: drawn.shares,
            debtAsset: "USDC",
            whale: false,
          },
          (minimumHf) => drawHealthFactor(rng, HF_CLUSTERS, [1.05, 3], minimumHf),
        ),
      );
      continue;
    }
    if (rng.next() < WHALE_PROBABILITY) {
      const loop = rng.next() < LOOP_WHALE_SHARE && venues.loop.length > 0;
      const whaleVenues = loop ? venues.loop : stableWhaleVenues;
      if (whaleVenues.length > 0) {
        const [low, high] = loop ? input.whaleCollateralUsd.loop : input.whaleCollateralUsd.stable;
        plans.push(planWhale(input, rng, account, pick(rng, whaleVenues), loop, rng.uniform(low, high)));
        continue;
      }
    }
    const kind = rng.weighted(kinds);
    plans.push(planKind(input, rng, account, kind, pick(rng, venues[kind])));
  }
  return plans;
}

function pick<T>(rng: Prng, items: readonly T[]): T {
  const item = items[Math.floor(rng.next() * items.length)];
  if (item === undefined) throw new RangeError("nothing to pick from");
  return item;
}

function logNormalUsd(rng: Prng, size: typeof LOOP_SIZE | typeof STABLE_SIZE): number {
  return Math.min(Math.max(rng.logNormal(size.medianUsd, size.sigma), size.minUsd), size.maxUsd);
}

function planWhale(
  input: PlanMainnetPositionsInput,
  rng: Prng,
  account: Address,
  venue: Venue,
  loop: boolean,
  usd: number,
): PositionPlan {
  if (venue.kind === "morpho") {
    const healthFactor = loop
      ? drawHealthFactor(rng, LOOP_HF_CLUSTERS, [1.01, 1.12], 1)
      : rng.uniform(STABLE_WHALE_HF[0], STABLE_WHALE_HF[1]);
    return morphoPosition(input, account, venue.marketIndex, usd, healthFactor, true);
  }
  return aavePosition(
    input,
    {
      market: venue.market,
      account,
      emode: loop ? input.aaveEmode.id : 0,
      usd,
      collateralShares: [[loop ? "wstETH" : "WETH", 1]],
      debtAsset: loop ? "WETH" : "USDC",
      whale: true,
    },
    (minimumHf) =>
      loop
        ? drawHealthFactor(rng, LOOP_HF_CLUSTERS, [minimumHf, 1.12], minimumHf)
        : Math.max(rng.uniform(STABLE_WHALE_HF[0], STABLE_WHALE_HF[1]), minimumHf * 1.003),
  );
}

function planKind(
  input: PlanMainnetPositionsInput,
  rng: Prng,
  account: Address,
  kind: Kind,
  venue: Venue,
): PositionPlan {
  const usd =
    kind === "loop"
      ? logNormalUsd(rng, LOOP_SIZE)
      : kind === "small"
        ? rng.logUniform(SMALL_COLLATERAL_USD[0], SMALL_COLLATERAL_USD[1])
        : logNormalUsd(rng, STABLE_SIZE);
  if (venue.kind === "morpho") {
    const healthFactor =
      kind === "loop"
        ? drawHealthFactor(rng, LOOP_HF_CLUSTERS, [1.01, 1.12], 1)
        : drawHealthFactor(rng, HF_CLUSTERS, [1.05, 3], 1);
    return morphoPosition(input, account, venue.marketIndex, usd, healthFactor, false);
  }
  let collateralShares: Array<readonly [DevnetAssetId, number]>;
  let debtAsset: DevnetAssetId = "USDC";
  if (kind === "loop") {
    collateralShares = [["wstETH", 1]];
    debtAsset = "WETH";
  } else if (kind === "short") {
    collateralShares = [["USDC", 1]];
    debtAsset = rng.weighted([
      ["WETH", 0.7],
      ["WBTC", 0.3],
    ] as const);
  } else if (kind === "stable" && rng.next() < 0.25) {
    const share = rng.uniform(0.3, 0.7);
    const second = rng.weighted([
      ["WBTC", 0.6],
      ["wstETH", 0.4],
    ] as const);
    collateralShares = [
      ["WETH", share],
      [second, 1 - share],
    ];
  } else {
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
  }
  return aavePosition(
    input,
    {
      market: venue.market,
      account,
      emode: kind === "loop" ? input.aaveEmode.id : 0,
      usd,
      collateralShares,
      debtAsset,
      whale: false,
    },
    (minimumHf) =>
      kind === "loop"
        ? drawHealthFactor(rng, LOOP_HF_CLUSTERS, [minimumHf, 1.12], minimumHf)
        : drawHealthFactor(rng, HF_CLUSTERS, [1.05, 3], minimumHf),
  );
}
