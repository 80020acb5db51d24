/**
 * Seeded generator of a mainnet-shaped `cascade-snapshot/2` book (cascade-model.md version 2),
 * and `toV2Shape`, which carries a version 1 book of `generateBook.ts` into version 2.
 *
 * What version 2 adds to the version 1 book: wstETH trades against WETH (a constant-product pool
 * quoted in WETH) and is priced by an exchange-rate oracle on the WETH feed (as Aave's CAPO
 * adapters do), cbBTC likewise on the WBTC price; WETH's feed is a 0.5% deviation-threshold
 * feed; one Aave pool (Spark) prices USDC with a fixed $1 feed; WETH trades against USDC in a
 * Uniswap V3-shaped concentrated pool (dense near the price, thinner away from it, with gaps);
 * every market pays gas for a liquidation; the WETH comet's reserves are above target, so its
 * absorbs sell nothing. `generateBookV2` adds an Aave V4 spoke (some positions with their own
 * `dynamicConfig`) and small positions that no liquidator will touch once gas is paid.
 *
 * Speed: positions of the version 1 book are kept as they are (no copy, no JSON round trip);
 * the added ones are built in one plain loop.
 */

import { createPrng, type Prng } from "../src/core/random/createPrng.js";
import type { SnapshotInput } from "../src/core/snapshot/schema.js";
// The version 2 document's shape; `src/core` has only version 1's types so far.
import type {
  AaveV4MarketDoc,
  AssetDoc,
  LiquidityDoc,
  MarketDoc,
  OracleDoc,
  PositionDoc,
  RangeDoc,
  SnapshotDoc,
} from "../test/reference/v2/snapshotDoc.js";
import {
  AAVE_CORE,
  AAVE_SPARK,
  BOOK_PRICES_USD,
  type BookAsset,
  COMET_WETH,
  MORPHO_MARKETS,
} from "./bookMarkets.js";
import { generateBook } from "./generateBook.js";

export interface GenerateBookV2Options {
  /** Number of positions. */
  readonly positions: number;
  /** PRNG seed: the same seed gives the same book. */
  readonly seed: number;
  /** As `generateBook`'s: pool size over the book's exposure to each asset (default 3). */
  readonly liquidityMultiple?: number;
}

/** Gas of one liquidation on Ethereum mainnet, USD, per protocol (a few hundred thousand gas). */
export const LIQUIDATION_GAS_USD = {
  "aave-v3": 15,
  "aave-v4": 12,
  "morpho-blue": 10,
  "compound-v3": 20,
} as const;

export const AAVE_V4_SPOKE = "aave-v4:1:0x0000000000000000000000000000000000a4e4";
export const USDC_FIXED_ORACLE = "USDC/USD-fixed";
const MORPHO_WSTETH_WETH = MORPHO_MARKETS.find((m) => m.collateral === "wstETH" && m.loan === "WETH")!.id;

/** Share of `generateBookV2`'s positions on the Aave V4 spoke, and of small gas-unprofitable ones. */
const AAVE_V4_SHARE = 0.1;
const SMALL_SHARE = 0.04;
/** wstETH's exchange rate: its price in WETH. */
const WSTETH_RATE = BOOK_PRICES_USD.wstETH / BOOK_PRICES_USD.WETH;
const WETH_USDC_FEE_BPS = 5;
const WSTETH_WETH_FEE_BPS = 1;

/**
 * The WETH/USDC ranges as multiples of the constant-product pool's `L` that version 1 had:
 * dense within 5% of the price, thinner further out, no liquidity in two bands.
 */
const WETH_RANGE_SHAPE: readonly (readonly [lower: number, upper: number, multiple: number])[] = [
  [800, 1500, 0.6],
  [1600, 2000, 1],
  [2000, 2300, 1.2],
  [2350, 2650, 1.5],
  [2650, 2850, 2],
  [2850, 3150, 3],
  [3150, 3400, 2],
  [3400, 3800, 1.2],
  [3900, 5000, 0.6],
];

const DECIMALS: Record<BookAsset, number> = {
  WETH: 18,
  wstETH: 18,
  WBTC: 8,
  cbBTC: 8,
  LINK: 18,
  USDC: 6,
  USDT: 6,
  DAI: 18,
};

type V1Asset = SnapshotInput["assets"][number];
type V1Market = SnapshotInput["markets"][number];

/** USD side of a version 1 pool: `reserveUsd` of a pool, or the pool a depth quote stands for. */
function poolUsdOf(asset: V1Asset): number {
  const l = asset.liquidity ?? { kind: "infinite" };
  if (l.kind === "pool") return l.reserveQuote ?? l.reserveUsd ?? 0;
  if (l.kind === "depth") return l.depthUsd / (1 / Math.sqrt(1 - l.depthPct) - 1);
  return 0;
}

function v2Liquidity(asset: V1Asset): LiquidityDoc {
  if (asset.id === "WETH") {
    // Version 1's pool is Uniswap V3 liquidity L = sqrt(x y) = y / sqrt(p) over every price.
    const l = poolUsdOf(asset) / Math.sqrt(asset.priceUsd);
    const ranges: RangeDoc[] = WETH_RANGE_SHAPE.map(([lower, upper, multiple]) => ({
      lower,
      upper,
      liquidity: l * multiple,
    }));
    return { kind: "concentrated", quote: "USDC", feeBps: WETH_USDC_FEE_BPS, ranges };
  }
  if (asset.id === "wstETH") {
    const reserveQuote = poolUsdOf(asset) / BOOK_PRICES_USD.WETH;
    return {
      kind: "pool",
      quote: "WETH",
      reserveAsset: reserveQuote / WSTETH_RATE,
      reserveQuote,
      feeBps: WSTETH_WETH_FEE_BPS,
    };
  }
  const l = asset.liquidity ?? { kind: "infinite" };
  if (l.kind === "pool")
    return {
      kind: "pool",
      reserveAsset: l.reserveAsset,
      reserveQuote: l.reserveQuote ?? l.reserveUsd ?? 0,
      feeBps: l.feeBps ?? 0,
    };
  if (l.kind === "depth")
    return { kind: "depth", depthUsd: l.depthUsd, depthPct: l.depthPct, feeBps: l.feeBps ?? 0 };
  return { kind: "infinite" };
}

function v2Asset(asset: V1Asset): AssetDoc {
  const out: AssetDoc = {
    id: asset.id,
    priceUsd: asset.priceUsd,
    decimals: DECIMALS[asset.id as BookAsset] ?? 18,
    liquidity: v2Liquidity(asset),
  };
  // wstETH now moves with WETH through its quote; `follows` is for USD-quoted assets only.
  if (asset.follows !== undefined && asset.id !== "wstETH")
    return { ...out, follows: { asset: asset.follows.asset, beta: asset.follows.beta ?? 1 } };
  return out;
}

export const V2_ORACLES: Readonly<Record<string, OracleDoc>> = {
  WETH: { kind: "market", asset: "WETH", deviation: 0.005 },
  wstETH: { kind: "rate", oracle: "WETH", scale: WSTETH_RATE },
  cbBTC: { kind: "rate", oracle: "WBTC", scale: 1 },
  [USDC_FIXED_ORACLE]: { kind: "fixed", priceUsd: 1 },
};

function v2Market(market: V1Market): MarketDoc {
  switch (market.protocol) {
    case "aave-v3": {
      // Spark prices its stablecoins at a fixed $1; here its USDC reserve does.
      const usdc = market.reserves.USDC;
      const reserves =
        market.id === AAVE_SPARK && usdc !== undefined
          ? { ...market.reserves, USDC: { ...usdc, oracle: USDC_FIXED_ORACLE } }
          : market.reserves;
      return { ...market, reserves, liquidationGasUsd: LIQUIDATION_GAS_USD["aave-v3"] } as MarketDoc;
    }
    case "morpho-blue":
      return {
        ...market,
        liquidationGasUsd: LIQUIDATION_GAS_USD["morpho-blue"],
        ...(market.id === MORPHO_WSTETH_WETH ? { collateralOracle: "wstETH", loanOracle: "WETH" } : {}),
      } as MarketDoc;
    case "compound-v3":
      return {
        ...market,
        sellsAbsorbed: market.id !== COMET_WETH,
        liquidationGasUsd: LIQUIDATION_GAS_USD["compound-v3"],
      } as MarketDoc;
    case "aave-v4":
      return market as MarketDoc;
  }
}

/**
 * A version 1 book in version 2's shape: the same positions (the very array and objects, not
 * copies: a million positions are not cloned), with version 2's oracles, quotes, concentrated
 * WETH ranges and gas added.
 */
export function toV2Shape(v1: SnapshotInput): SnapshotDoc {
  return {
    schema: "cascade-snapshot/2",
    source: v1.source,
    assets: v1.assets.map(v2Asset),
    oracles: structuredClone(V2_ORACLES),
    markets: v1.markets.map(v2Market),
    positions: v1.positions as unknown as PositionDoc[],
  };
}

export const AAVE_V4_MARKET: AaveV4MarketDoc = {
  id: AAVE_V4_SPOKE,
  protocol: "aave-v4",
  targetHealthFactor: 1.05,
  healthFactorForMaxBonus: 0.85,
  liquidationBonusFactor: 0.8,
  liquidationGasUsd: LIQUIDATION_GAS_USD["aave-v4"],
  reserves: {
    WETH: { collateralFactor: 0.8, maxLiquidationBonus: 0.05, liquidationFee: 0.1 },
    wstETH: { collateralFactor: 0.78, maxLiquidationBonus: 0.06, liquidationFee: 0.1 },
    WBTC: { collateralFactor: 0.75, maxLiquidationBonus: 0.07, liquidationFee: 0.1 },
    USDC: { collateralFactor: 0.78, maxLiquidationBonus: 0.045, liquidationFee: 0.1 },
    USDT: { collateralFactor: 0.75, maxLiquidationBonus: 0.045, liquidationFee: 0.1 },
  },
};

/** A position's own, older risk configuration (Aave V4 keeps the one it borrowed under). */
const V4_DYNAMIC_CONFIG: Partial<
  Record<BookAsset, { collateralFactor: number; maxLiquidationBonus: number }>
> = {
  WETH: { collateralFactor: 0.82, maxLiquidationBonus: 0.06 },
  wstETH: { collateralFactor: 0.8, maxLiquidationBonus: 0.05 },
  WBTC: { collateralFactor: 0.77, maxLiquidationBonus: 0.06 },
};

/** Token amount of `usd` worth of `asset`, rounded to its usual precision (short JSON). */
function units(asset: BookAsset, usd: number): number {
  const scale = BOOK_PRICES_USD[asset] >= 100 ? 1e8 : 1e6;
  return Math.round((usd / BOOK_PRICES_USD[asset]) * scale) / scale;
}

/** Health factor of a volatile pair: clusters (where cascades start), a log-uniform body, a healthy tail. */
function volatileHealthFactor(rng: Prng): number {
  const r = rng.next();
  if (r < 0.04) return rng.uniform(1.01, 1.06);
  if (r < 0.45) return [1.12, 1.25, 1.4, 1.7][Math.floor(rng.next() * 4)]! * (1 + 0.005 * rng.normal());
  if (r < 0.9) return rng.logUniform(1.05, 2.5);
  return rng.logUniform(2.5, 8);
}

function collateralUsd(rng: Prng): number {
  return Math.min(Math.max(rng.logNormal(20_000, 1.5), 500), 30_000_000);
}

const STABLE_DEBT: readonly BookAsset[] = ["USDC", "USDC", "USDT"];

/** One Aave V4 position; about 30% carry their own `dynamicConfig` for their collateral. */
function aaveV4Position(rng: Prng, account: string): PositionDoc {
  const kind = rng.next();
  let collateralAsset: BookAsset;
  let debtAsset: BookAsset;
  let healthFactor: number;
  if (kind < 0.5) {
    collateralAsset = "WETH";
    debtAsset = STABLE_DEBT[Math.floor(rng.next() * 3)]!;
    healthFactor = volatileHealthFactor(rng);
  } else if (kind < 0.7) {
    collateralAsset = "wstETH";
    debtAsset = "WETH";
    healthFactor = rng.logUniform(1.01, 1.15);
  } else if (kind < 0.9) {
    collateralAsset = "WBTC";
    debtAsset = "USDC";
    healthFactor = volatileHealthFactor(rng);
  } else {
    collateralAsset = "USDC";
    debtAsset = "WETH";
    healthFactor = volatileHealthFactor(rng);
  }
  const own = rng.next() < 0.3 ? V4_DYNAMIC_CONFIG[collateralAsset] : undefined;
  const cf = own?.collateralFactor ?? AAVE_V4_MARKET.reserves[collateralAsset]!.collateralFactor;
  const c = units(collateralAsset, collateralUsd(rng));
  const debtUsd = (c * BOOK_PRICES_USD[collateralAsset] * cf) / healthFactor;
  const position: PositionDoc = {
    market: AAVE_V4_SPOKE,
    account,
    collateral: { [collateralAsset]: c },
    debt: { [debtAsset]: units(debtAsset, debtUsd) },
    ...(own === undefined ? {} : { dynamicConfig: { [collateralAsset]: { ...own } } }),
  };
  return position;
}

const MORPHO_WETH_USDC = MORPHO_MARKETS.find((m) => m.collateral === "WETH" && m.loan === "USDC")!;
/** Where small positions sit, with the liquidation weight of WETH collateral there. */
const SMALL_MARKETS: readonly (readonly [market: string, weight: number])[] = [
  [AAVE_CORE, 0.83],
  [AAVE_SPARK, 0.83],
  [MORPHO_WETH_USDC.id, MORPHO_WETH_USDC.lltv],
  [AAVE_V4_SPOKE, AAVE_V4_MARKET.reserves.WETH!.collateralFactor],
];

/**
 * A small WETH/USDC position ($40-$400 of collateral): its liquidation bonus is below the gas
 * of a liquidation, so it stays once liquidatable; a fifth are below 1 already.
 */
function smallPosition(rng: Prng, account: string): PositionDoc {
  const [market, weight] = SMALL_MARKETS[Math.floor(rng.next() * SMALL_MARKETS.length)]!;
  const healthFactor = rng.next() < 0.2 ? rng.uniform(0.9, 0.999) : rng.uniform(1.01, 1.3);
  const c = units("WETH", rng.uniform(40, 400));
  const debt = units("USDC", (c * BOOK_PRICES_USD.WETH * weight) / healthFactor);
  return { market, account, collateral: { WETH: c }, debt: { USDC: debt } };
}

/** A 20-byte hex account: random high bits, the position index low bits (unique within the book). */
function account(rng: Prng, index: number): string {
  return `0x${rng.hex8()}${rng.hex8()}${rng.hex8()}${rng.hex8()}${index.toString(16).padStart(8, "0")}`;
}

/**
 * Generates a valid `cascade-snapshot/2` book of `positions` positions, deterministic in `seed`:
 * the version 1 book of the same seed in version 2's shape (86% of the positions), an Aave V4
 * spoke (10%) and small gas-unprofitable positions (4%).
 */
export function generateBookV2(options: GenerateBookV2Options): SnapshotDoc {
  const v4Count = Math.round(options.positions * AAVE_V4_SHARE);
  const smallCount = Math.round(options.positions * SMALL_SHARE);
  const v1Count = options.positions - v4Count - smallCount;
  const v1 = generateBook({
    positions: v1Count,
    seed: options.seed,
    ...(options.liquidityMultiple === undefined ? {} : { liquidityMultiple: options.liquidityMultiple }),
  });
  const shaped = toV2Shape(v1);
  // A stream of its own, so the version 1 part is the version 1 book of the same seed.
  const rng = createPrng((options.seed ^ 0x2c1b3c6d) >>> 0);
  const positions = shaped.positions as PositionDoc[];
  for (let i = 0; i < v4Count; i++) positions.push(aaveV4Position(rng, account(rng, v1Count + i)));
  for (let i = 0; i < smallCount; i++)
    positions.push(smallPosition(rng, account(rng, v1Count + v4Count + i)));
  return { ...shaped, markets: [...shaped.markets, structuredClone(AAVE_V4_MARKET)], positions };
}
