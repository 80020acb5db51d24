/**
 * The markets of the benchmark book: two Aave V3 pools (one on each liquidation logic),
 * Morpho Blue markets and two Compound V3 comets, with risk parameters close to the
 * mainnet ones of late 2025 (figures, rounded).
 */
import type { SnapshotInput } from "../src/core/snapshot/schema.js";

type MarketInput = SnapshotInput["markets"][number];

export const BOOK_PRICES_USD = {
  WETH: 3000,
  wstETH: 3600,
  WBTC: 60000,
  cbBTC: 60000,
  LINK: 15,
  USDC: 1,
  USDT: 1,
  DAI: 1,
} as const;
export type BookAsset = keyof typeof BOOK_PRICES_USD;

export const AAVE_CORE = "aave-v3:1:0x87870bca3f3fd6335c3f4ce8392d69350b4fa4e2";
export const AAVE_SPARK = "aave-v3:1:0xc13e21b648a5ee794902342038ff3adab66be987";
export const COMET_USDC = "compound-v3:1:0xc3d688b66703497daa19211eedff47f25384cdc3";
export const COMET_WETH = "compound-v3:1:0xa17581a9e3356d9a858b789d68b4d866e593ae94";

/** eMode 1 of both Aave pools: ETH-correlated assets. */
export const ETH_EMODE = 1;

export const AAVE_CORE_MARKET = {
  id: AAVE_CORE,
  protocol: "aave-v3",
  liquidationLogic: "v3.3",
  closeFactor: 0.5,
  closeFactorHfThreshold: 0.95,
  fullCloseBelowUsd: 2000,
  minLeftoverUsd: 1000,
  reserves: {
    WETH: { liquidationThreshold: 0.83, liquidationBonus: 0.05, protocolFee: 0.1 },
    wstETH: { liquidationThreshold: 0.81, liquidationBonus: 0.06, protocolFee: 0.1 },
    WBTC: { liquidationThreshold: 0.78, liquidationBonus: 0.05, protocolFee: 0.1 },
    cbBTC: { liquidationThreshold: 0.78, liquidationBonus: 0.075, protocolFee: 0.1 },
    LINK: { liquidationThreshold: 0.68, liquidationBonus: 0.07, protocolFee: 0.1 },
    USDC: { liquidationThreshold: 0.78, liquidationBonus: 0.045, protocolFee: 0.1 },
    USDT: { liquidationThreshold: 0.78, liquidationBonus: 0.045, protocolFee: 0.1 },
    DAI: { liquidationThreshold: 0.77, liquidationBonus: 0.05, protocolFee: 0.1 },
  },
  emodes: {
    [ETH_EMODE]: { liquidationThreshold: 0.95, liquidationBonus: 0.01, assets: ["WETH", "wstETH"] },
  },
} as const satisfies MarketInput;

export const AAVE_SPARK_MARKET = {
  id: AAVE_SPARK,
  protocol: "aave-v3",
  liquidationLogic: "v3.0",
  closeFactor: 0.5,
  closeFactorHfThreshold: 0.95,
  reserves: {
    WETH: { liquidationThreshold: 0.83, liquidationBonus: 0.05, protocolFee: 0.1 },
    wstETH: { liquidationThreshold: 0.8, liquidationBonus: 0.07, protocolFee: 0.1 },
    WBTC: { liquidationThreshold: 0.75, liquidationBonus: 0.07, protocolFee: 0.1 },
    USDC: { liquidationThreshold: 0.78, liquidationBonus: 0.045, protocolFee: 0 },
    USDT: { liquidationThreshold: 0.78, liquidationBonus: 0.045, protocolFee: 0 },
    DAI: { liquidationThreshold: 0.77, liquidationBonus: 0.045, protocolFee: 0 },
  },
  emodes: {
    [ETH_EMODE]: { liquidationThreshold: 0.93, liquidationBonus: 0.01, assets: ["WETH", "wstETH"] },
  },
} as const satisfies MarketInput;

export interface MorphoBookMarket {
  readonly id: string;
  readonly collateral: BookAsset;
  readonly loan: BookAsset;
  readonly lltv: number;
  /** Share of the Morpho positions in this market. */
  readonly weight: number;
}

export const MORPHO_MARKETS: readonly MorphoBookMarket[] = [
  { id: "morpho-blue:1:wstETH-WETH-94.5", collateral: "wstETH", loan: "WETH", lltv: 0.945, weight: 0.16 },
  { id: "morpho-blue:1:WETH-USDC-86", collateral: "WETH", loan: "USDC", lltv: 0.86, weight: 0.24 },
  { id: "morpho-blue:1:WETH-USDT-91.5", collateral: "WETH", loan: "USDT", lltv: 0.915, weight: 0.07 },
  { id: "morpho-blue:1:wstETH-USDC-86", collateral: "wstETH", loan: "USDC", lltv: 0.86, weight: 0.12 },
  { id: "morpho-blue:1:WBTC-USDC-86", collateral: "WBTC", loan: "USDC", lltv: 0.86, weight: 0.18 },
  { id: "morpho-blue:1:cbBTC-USDC-86", collateral: "cbBTC", loan: "USDC", lltv: 0.86, weight: 0.12 },
  { id: "morpho-blue:1:LINK-USDC-77", collateral: "LINK", loan: "USDC", lltv: 0.77, weight: 0.04 },
  { id: "morpho-blue:1:WBTC-WETH-91.5", collateral: "WBTC", loan: "WETH", lltv: 0.915, weight: 0.04 },
];

export const COMET_USDC_MARKET = {
  id: COMET_USDC,
  protocol: "compound-v3",
  base: "USDC",
  collaterals: {
    WETH: { liquidateCollateralFactor: 0.9, liquidationFactor: 0.95 },
    wstETH: { liquidateCollateralFactor: 0.87, liquidationFactor: 0.92 },
    WBTC: { liquidateCollateralFactor: 0.85, liquidationFactor: 0.95 },
    cbBTC: { liquidateCollateralFactor: 0.85, liquidationFactor: 0.95 },
    LINK: { liquidateCollateralFactor: 0.85, liquidationFactor: 0.93 },
  },
} as const satisfies MarketInput;

export const COMET_WETH_MARKET = {
  id: COMET_WETH,
  protocol: "compound-v3",
  base: "WETH",
  collaterals: {
    wstETH: { liquidateCollateralFactor: 0.93, liquidationFactor: 0.975 },
    cbBTC: { liquidateCollateralFactor: 0.85, liquidationFactor: 0.95 },
  },
} as const satisfies MarketInput;

export function bookMarkets(): MarketInput[] {
  return [
    AAVE_CORE_MARKET,
    AAVE_SPARK_MARKET,
    ...MORPHO_MARKETS.map(
      (m): MarketInput => ({
        id: m.id,
        protocol: "morpho-blue",
        collateral: m.collateral,
        loan: m.loan,
        lltv: m.lltv,
      }),
    ),
    COMET_USDC_MARKET,
    COMET_WETH_MARKET,
  ].map((m) => structuredClone(m) as MarketInput);
}
