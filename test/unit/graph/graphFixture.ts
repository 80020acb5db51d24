/**
 * A small hand-made snapshot whose liquidation prices are easy to compute by hand.
 * Prices: WETH 2000, wstETH 2400 (follows WETH, beta 1), XLST 1100 (follows wstETH, beta 0.5),
 * WBTC 50000, USDC 1.
 */
import { type SnapshotData, type SnapshotInput, snapshotSchema } from "../../../src/core/snapshot/schema.js";

export const AAVE = "aave-v3:1:0xpool";
export const MORPHO_LOOP = "morpho-blue:1:wstETH-WETH";
export const MORPHO_ETH = "morpho-blue:1:WETH-USDC";
export const COMET = "compound-v3:1:0xcomet";

export const graphFixtureInput: SnapshotInput = {
  schema: "cascade-snapshot/1",
  assets: [
    { id: "WETH", priceUsd: 2000, liquidity: { kind: "pool", reserveAsset: 1000, reserveUsd: 2_000_000 } },
    {
      id: "wstETH",
      priceUsd: 2400,
      follows: { asset: "WETH", beta: 1 },
      liquidity: { kind: "depth", depthUsd: 1_000_000, depthPct: 0.02 },
    },
    {
      id: "XLST",
      priceUsd: 1100,
      follows: { asset: "wstETH", beta: 0.5 },
      liquidity: { kind: "depth", depthUsd: 100_000, depthPct: 0.02 },
    },
    { id: "WBTC", priceUsd: 50000, liquidity: { kind: "depth", depthUsd: 1_000_000, depthPct: 0.02 } },
    { id: "USDC", priceUsd: 1, liquidity: { kind: "infinite" } },
  ],
  markets: [
    {
      id: AAVE,
      protocol: "aave-v3",
      liquidationLogic: "v3.3",
      reserves: {
        WETH: { liquidationThreshold: 0.8, liquidationBonus: 0.05 },
        wstETH: { liquidationThreshold: 0.75, liquidationBonus: 0.06 },
        XLST: { liquidationThreshold: 0.5, liquidationBonus: 0.1 },
        WBTC: { liquidationThreshold: 0.7, liquidationBonus: 0.05 },
        USDC: { liquidationThreshold: 0.75, liquidationBonus: 0.045 },
      },
      emodes: { "1": { liquidationThreshold: 0.9, liquidationBonus: 0.01, assets: ["WETH", "wstETH"] } },
    },
    { id: MORPHO_LOOP, protocol: "morpho-blue", collateral: "wstETH", loan: "WETH", lltv: 0.9 },
    { id: MORPHO_ETH, protocol: "morpho-blue", collateral: "WETH", loan: "USDC", lltv: 0.86 },
    {
      id: COMET,
      protocol: "compound-v3",
      base: "USDC",
      collaterals: { WETH: { liquidateCollateralFactor: 0.85, liquidationFactor: 0.9 } },
    },
  ],
  positions: [
    // P1: 10·p·0.8 = 12100 → p = 1512.5
    { market: AAVE, account: "p1", collateral: { WETH: 10 }, debt: { USDC: 12100 } },
    // P2: 5·p·0.8 + 0.2·50000·0.7 = 10000
    { market: AAVE, account: "p2", collateral: { WETH: 5, WBTC: 0.2 }, debt: { USDC: 10000 } },
    // P3: eMode loop, wstETH against WETH
    { market: AAVE, account: "p3", collateral: { wstETH: 10 }, debt: { WETH: 10 }, emode: 1 },
    // P4: 3·p·0.86 = 4000
    { market: MORPHO_ETH, account: "p4", collateral: { WETH: 3 }, debt: { USDC: 4000 } },
    // P5: 2400·0.9 < 1.1·2000: liquidatable already
    { market: MORPHO_LOOP, account: "p5", collateral: { wstETH: 1 }, debt: { WETH: 1.1 } },
    // P6: 2·p·0.85 = 3000
    { market: COMET, account: "p6", collateral: { WETH: 2 }, debt: { USDC: 3000 } },
    // P7: short ETH
    { market: AAVE, account: "p7", collateral: { USDC: 10000 }, debt: { WETH: 3.2 } },
    // P8: WETH and XLST (which follows WETH at beta 0.5) against USDC
    { market: AAVE, account: "p8", collateral: { WETH: 1, XLST: 10 }, debt: { USDC: 5100 } },
    // P9: eMode, WETH and wstETH against WETH: a WETH fall moves both sides alike
    { market: AAVE, account: "p9", collateral: { WETH: 5, wstETH: 5 }, debt: { WETH: 9 }, emode: 1 },
    // P10: 2000·0.85 < 1800: liquidatable already
    { market: COMET, account: "p10", collateral: { WETH: 1 }, debt: { USDC: 1800 } },
  ],
};

export function graphFixture(): SnapshotData {
  return snapshotSchema.parse(structuredClone(graphFixtureInput));
}
