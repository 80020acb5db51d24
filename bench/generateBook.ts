/**
 * Seeded generator of a realistic `cascade-snapshot/1` book for benchmarks and load tests.
 *
 * Shape: ~50% Aave (two pools, eMode loops, multi-collateral), ~35% Morpho, ~15% Compound.
 * Health factors: most between 1.05 and 2.5, with clusters (many positions at the same
 * liquidation price: what turns a drop into a cascade); correlated loops (wstETH/WETH)
 * tight above 1. Sizes: log-normal body with a Pareto tail of whales. Each asset's
 * liquidity is sized from the book's own collateral and debt in it, so a book of any size
 * reacts to a given shock in the same proportions (WETH -20%: 7 rounds, ends about -28%).
 */

import { createPrng, type Prng } from "../src/core/random/createPrng.js";
import type { SnapshotInput } from "../src/core/snapshot/schema.js";
import {
  AAVE_CORE,
  AAVE_CORE_MARKET,
  AAVE_SPARK_MARKET,
  BOOK_PRICES_USD,
  type BookAsset,
  bookMarkets,
  COMET_USDC,
  COMET_USDC_MARKET,
  COMET_WETH,
  COMET_WETH_MARKET,
  ETH_EMODE,
  MORPHO_MARKETS,
} from "./bookMarkets.js";

type PositionInput = SnapshotInput["positions"][number];
type AssetInput = SnapshotInput["assets"][number];

export interface GenerateBookOptions {
  /** Number of positions. */
  readonly positions: number;
  /** PRNG seed: the same seed gives the same book. */
  readonly seed: number;
  /**
   * Size of each non-stable asset's liquidity: the USD side of its constant-product pool over
   * the book's collateral plus debt USD in that asset (default 3; wstETH and cbBTC get
   * `PEG_DEPTH` times more). Selling 1% of a pool's USD side moves its price about 2%.
   */
  readonly liquidityMultiple?: number;
}

const DEPTH_PCT = 0.02;
/**
 * Extra depth of assets held near their leader by redemption arbitrage (the model has no such
 * arbitrage: without it a liquidated loop's sales depeg wstETH far more than they do on chain).
 */
const PEG_DEPTH: Partial<Record<BookAsset, number>> = { wstETH: 5, cbBTC: 2 };
const MIN_POOL_USD = 5_000_000;
const STABLES = ["USDC", "USDT", "DAI"] as const satisfies readonly BookAsset[];
const STABLE_WEIGHTS = [0.55, 0.3, 0.15];
const VOLATILE_HF_CLUSTERS = [1.12, 1.3, 1.5, 1.8, 2.2];
const VOLATILE_HF_CLUSTER_WEIGHTS = [0.15, 0.25, 0.25, 0.2, 0.15];
const LOOP_HF_CLUSTERS = [1.03, 1.05, 1.08, 1.12];

/** Health factor of a position whose collateral and debt move apart (ETH against USDC). */
function volatileHealthFactor(rng: Prng): number {
  const r = rng.next();
  if (r < 0.03) return rng.uniform(1.01, 1.05);
  if (r < 0.48) {
    const center = VOLATILE_HF_CLUSTERS[rng.pick(VOLATILE_HF_CLUSTER_WEIGHTS)] ?? 1.5;
    return Math.max(1.01, center * (1 + 0.006 * rng.normal()));
  }
  if (r < 0.9) return rng.logUniform(1.05, 2.5);
  return rng.logUniform(2.5, 8);
}

/** Health factor of a correlated loop (wstETH against WETH): tight, since the ratio barely moves. */
function loopHealthFactor(rng: Prng): number {
  if (rng.next() < 0.5) {
    const center = LOOP_HF_CLUSTERS[Math.floor(rng.next() * LOOP_HF_CLUSTERS.length)] ?? 1.05;
    return Math.max(1.01, center * (1 + 0.002 * rng.normal()));
  }
  return rng.logUniform(1.01, 1.4);
}

/** Collateral USD of one position: log-normal body (median $15k), 0.3% Pareto whales. */
function collateralUsd(rng: Prng): number {
  if (rng.next() < 0.003) return Math.min(rng.pareto(3_000_000, 1.3), 400_000_000);
  return Math.min(Math.max(rng.logNormal(15_000, 1.6), 100), 20_000_000);
}

function stable(rng: Prng): BookAsset {
  return STABLES[rng.pick(STABLE_WEIGHTS)] ?? "USDC";
}

/** Token amounts rounded to the asset's usual precision (keeps the JSON short). */
function amount(asset: BookAsset, usd: number): number {
  const scale = BOOK_PRICES_USD[asset] >= 100 ? 1e8 : 1e6;
  return Math.round((usd / BOOK_PRICES_USD[asset]) * scale) / scale;
}

type Weights = Readonly<Partial<Record<BookAsset, number>>>;

interface Draft {
  /** Collateral USD per asset. */
  readonly collateral: Partial<Record<BookAsset, number>>;
  /** Debt share per asset (sums to 1). */
  readonly debt: Partial<Record<BookAsset, number>>;
  /** Liquidation weight (lt, lltv, liquidateCollateralFactor) per collateral asset. */
  readonly weight: Weights;
  readonly healthFactor: number;
  readonly emode?: number;
}

/** Turns a draft into a position whose health factor is the draft's (up to amount rounding). */
function toPosition(market: string, account: string, draft: Draft): PositionInput {
  const collateral: Record<string, number> = {};
  let weightedUsd = 0;
  // for…in rather than Object.entries: this runs a million times and entries allocate.
  for (const key in draft.collateral) {
    const asset = key as BookAsset;
    const units = amount(asset, draft.collateral[asset] ?? 0);
    collateral[asset] = units;
    weightedUsd += units * BOOK_PRICES_USD[asset] * (draft.weight[asset] ?? 0);
  }
  const debtUsd = weightedUsd / draft.healthFactor;
  const debt: Record<string, number> = {};
  for (const key in draft.debt) {
    const asset = key as BookAsset;
    debt[asset] = amount(asset, debtUsd * (draft.debt[asset] ?? 0));
  }
  const position: PositionInput = { market, account, collateral, debt };
  if (draft.emode !== undefined) position.emode = draft.emode;
  return position;
}

type AaveMarket = typeof AAVE_CORE_MARKET | typeof AAVE_SPARK_MARKET;

/** Liquidation thresholds of a pool's reserves, with the ETH eMode category's applied when `emode` is set. */
function aaveWeights(market: AaveMarket, emode: number): Weights {
  const weights: Partial<Record<BookAsset, number>> = {};
  for (const [asset, reserve] of Object.entries(market.reserves)) {
    weights[asset as BookAsset] = reserve.liquidationThreshold;
  }
  const category = market.emodes[ETH_EMODE];
  if (emode === ETH_EMODE) {
    for (const asset of category.assets) weights[asset] = category.liquidationThreshold;
  }
  return weights;
}

const AAVE_WEIGHTS = new Map<string, { plain: Weights; emode: Weights }>(
  [AAVE_CORE_MARKET, AAVE_SPARK_MARKET].map((m) => [
    m.id,
    { plain: aaveWeights(m, 0), emode: aaveWeights(m, ETH_EMODE) },
  ]),
);

const AAVE_KIND_WEIGHTS = [0.36, 0.15, 0.1, 0.22, 0.08, 0.04, 0.05];

function aaveDraft(rng: Prng, market: AaveMarket): Draft {
  const core = market.id === AAVE_CORE;
  const size = collateralUsd(rng);
  const weights = AAVE_WEIGHTS.get(market.id)!;
  const plain = weights.plain;
  switch (rng.pick(AAVE_KIND_WEIGHTS)) {
    case 0: // ETH against a stable
      return {
        collateral: { WETH: size },
        debt: { [stable(rng)]: 1 },
        weight: plain,
        healthFactor: volatileHealthFactor(rng),
      };
    case 1: {
      const btc: BookAsset = core && rng.next() < 0.4 ? "cbBTC" : "WBTC";
      return {
        collateral: { [btc]: size },
        debt: { [stable(rng)]: 1 },
        weight: plain,
        healthFactor: volatileHealthFactor(rng),
      };
    }
    case 2: {
      // eMode loop: wstETH (plus some WETH) against WETH.
      const wstShare = rng.uniform(0.85, 1);
      return {
        collateral:
          wstShare < 0.999 ? { wstETH: size * wstShare, WETH: size * (1 - wstShare) } : { wstETH: size },
        debt: { WETH: 1 },
        weight: weights.emode,
        healthFactor: loopHealthFactor(rng),
        emode: ETH_EMODE,
      };
    }
    case 3: {
      // Multi-collateral: ETH and BTC, sometimes some USDC; one or two stable debts.
      const ethShare = rng.uniform(0.3, 0.7);
      const usdcShare = rng.next() < 0.3 ? rng.uniform(0.05, 0.2) : 0;
      const collateral: Partial<Record<BookAsset, number>> = {
        WETH: size * ethShare * (1 - usdcShare),
        WBTC: size * (1 - ethShare) * (1 - usdcShare),
      };
      if (usdcShare > 0) collateral.USDC = size * usdcShare;
      const debt: Partial<Record<BookAsset, number>> =
        rng.next() < 0.4 ? { USDT: 0.7, DAI: 0.3 } : { USDT: 1 };
      return { collateral, debt, weight: plain, healthFactor: volatileHealthFactor(rng) };
    }
    case 4:
      return {
        collateral: { wstETH: size },
        debt: { USDC: 1 },
        weight: plain,
        healthFactor: volatileHealthFactor(rng),
      };
    case 5:
      return {
        collateral: core ? { LINK: size } : { WETH: size },
        debt: { USDC: 1 },
        weight: plain,
        healthFactor: volatileHealthFactor(rng),
      };
    default: // short ETH: stable collateral, WETH debt
      return {
        collateral: { USDC: size },
        debt: { WETH: 1 },
        weight: plain,
        healthFactor: volatileHealthFactor(rng),
      };
  }
}

const MORPHO_WEIGHTS = MORPHO_MARKETS.map((m) => m.weight);

function morphoPosition(rng: Prng, account: string): PositionInput {
  const market = MORPHO_MARKETS[rng.pick(MORPHO_WEIGHTS)] ?? MORPHO_MARKETS[0]!;
  const correlated = market.collateral === "wstETH" && market.loan === "WETH";
  return toPosition(market.id, account, {
    collateral: { [market.collateral]: collateralUsd(rng) },
    debt: { [market.loan]: 1 },
    weight: { [market.collateral]: market.lltv },
    healthFactor: correlated ? loopHealthFactor(rng) : volatileHealthFactor(rng),
  });
}

const COMET_USDC_ASSETS = ["WETH", "wstETH", "WBTC", "cbBTC", "LINK"] as const satisfies readonly BookAsset[];
const COMET_USDC_ASSET_WEIGHTS = [0.45, 0.15, 0.2, 0.15, 0.05];

const cometWeights = (collaterals: Record<string, { liquidateCollateralFactor: number }>): Weights =>
  Object.fromEntries(Object.entries(collaterals).map(([asset, c]) => [asset, c.liquidateCollateralFactor]));
const COMET_USDC_WEIGHTS = cometWeights(COMET_USDC_MARKET.collaterals);
const COMET_WETH_WEIGHTS = cometWeights(COMET_WETH_MARKET.collaterals);

function compoundPosition(rng: Prng, account: string): PositionInput {
  const size = collateralUsd(rng);
  if (rng.next() < 0.8) {
    const first = COMET_USDC_ASSETS[rng.pick(COMET_USDC_ASSET_WEIGHTS)] ?? "WETH";
    const second = COMET_USDC_ASSETS[rng.pick(COMET_USDC_ASSET_WEIGHTS)] ?? "WETH";
    const split = first !== second && rng.next() < 0.3 ? rng.uniform(0.4, 0.9) : 1;
    const collateral: Partial<Record<BookAsset, number>> = { [first]: size * split };
    if (split < 1) collateral[second] = size * (1 - split);
    return toPosition(COMET_USDC, account, {
      collateral,
      debt: { USDC: 1 },
      weight: COMET_USDC_WEIGHTS,
      healthFactor: volatileHealthFactor(rng),
    });
  }
  const lst = rng.next() < 0.9;
  const asset: BookAsset = lst ? "wstETH" : "cbBTC";
  return toPosition(COMET_WETH, account, {
    collateral: { [asset]: size },
    debt: { WETH: 1 },
    weight: COMET_WETH_WEIGHTS,
    healthFactor: lst ? loopHealthFactor(rng) : volatileHealthFactor(rng),
  });
}

/** A 20-byte hex account: random high bits, the position index low bits (unique within the book). */
function account(rng: Prng, index: number): string {
  return `0x${rng.hex8()}${rng.hex8()}${rng.hex8()}${rng.hex8()}${index.toString(16).padStart(8, "0")}`;
}

function liquidityFor(asset: BookAsset, exposureUsd: number, multiple: number): AssetInput["liquidity"] {
  if ((STABLES as readonly string[]).includes(asset)) return { kind: "infinite" };
  const poolUsd = Math.max(MIN_POOL_USD, multiple * (PEG_DEPTH[asset] ?? 1) * exposureUsd);
  if (asset === "WETH") {
    return { kind: "pool", reserveAsset: poolUsd / BOOK_PRICES_USD.WETH, reserveUsd: poolUsd, feeBps: 30 };
  }
  // Pool-equivalent of a depth quote (cascade-model.md section 2): y = depthUsd / (1/sqrt(1 - depthPct) - 1).
  const depthUsd = poolUsd * (1 / Math.sqrt(1 - DEPTH_PCT) - 1);
  return { kind: "depth", depthUsd, depthPct: DEPTH_PCT, feeBps: 5 };
}

const FOLLOWS: Partial<Record<BookAsset, { asset: BookAsset; beta: number }>> = {
  wstETH: { asset: "WETH", beta: 1 },
  cbBTC: { asset: "WBTC", beta: 1 },
};

/** Generates a valid `cascade-snapshot/1` book of `positions` positions; deterministic in `seed`. */
export function generateBook(options: GenerateBookOptions): SnapshotInput {
  const rng = createPrng(options.seed);
  const multiple = options.liquidityMultiple ?? 3;
  const positions: PositionInput[] = new Array(options.positions);
  for (let i = 0; i < options.positions; i++) {
    const who = account(rng, i);
    const r = rng.next();
    if (r < 0.5) {
      const market = rng.next() < 0.8 ? AAVE_CORE_MARKET : AAVE_SPARK_MARKET;
      positions[i] = toPosition(market.id, who, aaveDraft(rng, market));
    } else if (r < 0.85) {
      positions[i] = morphoPosition(rng, who);
    } else {
      positions[i] = compoundPosition(rng, who);
    }
  }

  // Liquidity follows the book's exposure to each asset: what liquidators may sell or buy.
  const exposureUsdByAsset = new Map<string, number>();
  for (const position of positions) {
    for (const side of [position.collateral, position.debt]) {
      for (const [asset, units] of Object.entries(side)) {
        const usd = units * BOOK_PRICES_USD[asset as BookAsset];
        exposureUsdByAsset.set(asset, (exposureUsdByAsset.get(asset) ?? 0) + usd);
      }
    }
  }
  const assets: AssetInput[] = (Object.keys(BOOK_PRICES_USD) as BookAsset[]).map((asset) => {
    const entry: AssetInput = {
      id: asset,
      symbol: asset,
      priceUsd: BOOK_PRICES_USD[asset],
      liquidity: liquidityFor(asset, exposureUsdByAsset.get(asset) ?? 0, multiple),
    };
    const follows = FOLLOWS[asset];
    if (follows !== undefined) entry.follows = { ...follows };
    return entry;
  });

  return {
    schema: "cascade-snapshot/1",
    source: {
      chainIds: [1],
      blocks: { "1": 21_000_000 },
      takenAt: "2026-01-01T00:00:00Z",
      staleMarkets: [],
    },
    assets,
    markets: bookMarkets(),
    positions,
  };
}
