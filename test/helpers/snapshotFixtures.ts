/**
 * Builders of `cascade-snapshot/1` inputs with overrides, for tests. Every builder returns a
 * fresh object; pass only what the test is about.
 */

import type { Book } from "../../src/core/book/book.js";
import { compileBook } from "../../src/core/book/compileBook.js";
import { parseSnapshot } from "../../src/core/snapshot/parseSnapshot.js";
import type { SnapshotInput } from "../../src/core/snapshot/schema.js";

type AssetInput = SnapshotInput["assets"][number];
type MarketInput = SnapshotInput["markets"][number];
type PositionInput = SnapshotInput["positions"][number];
type AaveMarketInput = Extract<MarketInput, { protocol: "aave-v3" }>;
type MorphoMarketInput = Extract<MarketInput, { protocol: "morpho-blue" }>;
type CompoundMarketInput = Extract<MarketInput, { protocol: "compound-v3" }>;

export const AAVE_MARKET = "aave-v3:1:0xpool";
export const MORPHO_MARKET = "morpho-blue:1:0xmarket";
export const COMPOUND_MARKET = "compound-v3:1:0xcomet";

/** An asset with infinite liquidity unless overridden. */
export function assetFixture(id: string, priceUsd: number, overrides: Partial<AssetInput> = {}): AssetInput {
  return { id, priceUsd, liquidity: { kind: "infinite" }, ...overrides };
}

/** An asset with a constant-product pool of `reserveAsset` units at `priceUsd`. */
export function poolAssetFixture(
  id: string,
  priceUsd: number,
  reserveAsset: number,
  feeBps = 0,
  overrides: Partial<AssetInput> = {},
): AssetInput {
  return {
    id,
    priceUsd,
    liquidity: { kind: "pool", reserveAsset, reserveUsd: reserveAsset * priceUsd, feeBps },
    ...overrides,
  };
}

export function aaveMarketFixture(overrides: Partial<AaveMarketInput> = {}): AaveMarketInput {
  return {
    id: AAVE_MARKET,
    protocol: "aave-v3",
    liquidationLogic: "v3.3",
    closeFactor: 0.5,
    closeFactorHfThreshold: 0.95,
    fullCloseBelowUsd: 2000,
    minLeftoverUsd: 1000,
    reserves: {
      WETH: { liquidationThreshold: 0.8, liquidationBonus: 0.05, protocolFee: 0.1 },
      USDC: { liquidationThreshold: 0.78, liquidationBonus: 0.045, protocolFee: 0.1 },
      WBTC: { liquidationThreshold: 0.75, liquidationBonus: 0.065, protocolFee: 0.1 },
    },
    emodes: {},
    ...overrides,
  };
}

export function morphoMarketFixture(overrides: Partial<MorphoMarketInput> = {}): MorphoMarketInput {
  return {
    id: MORPHO_MARKET,
    protocol: "morpho-blue",
    collateral: "WETH",
    loan: "USDC",
    lltv: 0.86,
    ...overrides,
  };
}

export function compoundMarketFixture(overrides: Partial<CompoundMarketInput> = {}): CompoundMarketInput {
  return {
    id: COMPOUND_MARKET,
    protocol: "compound-v3",
    base: "USDC",
    collaterals: {
      WETH: { liquidateCollateralFactor: 0.83, liquidationFactor: 0.95 },
      WBTC: { liquidateCollateralFactor: 0.8, liquidationFactor: 0.9 },
    },
    ...overrides,
  };
}

export function positionFixture(
  market: string,
  account: string,
  collateral: Record<string, number>,
  debt: Record<string, number>,
  overrides: Partial<PositionInput> = {},
): PositionInput {
  return { market, account, collateral, debt, ...overrides };
}

/** The default assets: WETH $3000, WBTC $60000, USDC $1, all with infinite liquidity. */
export function defaultAssets(): AssetInput[] {
  return [assetFixture("WETH", 3000), assetFixture("WBTC", 60_000), assetFixture("USDC", 1)];
}

export function snapshotFixture(overrides: Partial<SnapshotInput> = {}): SnapshotInput {
  return {
    schema: "cascade-snapshot/1",
    assets: defaultAssets(),
    markets: [aaveMarketFixture(), morphoMarketFixture(), compoundMarketFixture()],
    positions: [],
    ...overrides,
  };
}

/** Parses and compiles a snapshot input in one go. */
export function bookFixture(overrides: Partial<SnapshotInput> = {}): Book {
  return compileBook(parseSnapshot(snapshotFixture(overrides)));
}
