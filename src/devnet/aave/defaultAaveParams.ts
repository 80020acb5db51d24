import type { DevnetAaveMarketName } from "../seed/positionPlan.js";
import type { AaveEModeParams, AaveReserveParams, DevnetAssetId } from "./AaveDeployment.js";

/**
 * Reserve risk parameters close to Aave's Ethereum market (basis points; bonus 10500 = 5%).
 * USDC is collateral too, so that a USDC-collateral WETH borrow is possible.
 */
export const DEFAULT_AAVE_RESERVES: Record<DevnetAssetId, AaveReserveParams> = {
  WETH: {
    ltvBps: 8050,
    liquidationThresholdBps: 8300,
    liquidationBonusBps: 10500,
    reserveFactorBps: 1500,
    liquidationProtocolFeeBps: 1000,
    borrowable: true,
    collateral: true,
  },
  WBTC: {
    ltvBps: 7300,
    liquidationThresholdBps: 7800,
    liquidationBonusBps: 10500,
    reserveFactorBps: 2000,
    liquidationProtocolFeeBps: 1000,
    borrowable: true,
    collateral: true,
  },
  wstETH: {
    ltvBps: 7850,
    liquidationThresholdBps: 8100,
    liquidationBonusBps: 10600,
    reserveFactorBps: 500,
    liquidationProtocolFeeBps: 1000,
    borrowable: true,
    collateral: true,
  },
  USDC: {
    ltvBps: 7500,
    liquidationThresholdBps: 7800,
    liquidationBonusBps: 10450,
    reserveFactorBps: 1000,
    liquidationProtocolFeeBps: 1000,
    borrowable: true,
    collateral: true,
  },
};

/** The ETH-correlated eMode category (WETH and wstETH), as on Aave's Ethereum market. */
export const DEFAULT_AAVE_EMODE: AaveEModeParams = {
  id: 1,
  label: "ETH correlated",
  ltvBps: 9300,
  liquidationThresholdBps: 9500,
  liquidationBonusBps: 10100,
  assets: ["WETH", "wstETH"],
};

/**
 * The mainnet profile's ETH-correlated category: wstETH and WETH count as collateral, only WETH may
 * be borrowed in it (on Aave V3.6; V3.0 has one membership for both), as Aave's Ethereum market
 * keeps an LST loop's debt in ETH.
 */
export const MAINNET_AAVE_EMODE: AaveEModeParams = {
  ...DEFAULT_AAVE_EMODE,
  borrowableAssets: ["WETH"],
};

/**
 * The mainnet profile's borrow-only reserves: USDC in Aave V3.0 lends but counts for nothing as
 * collateral (liquidation threshold 0), as stablecoins do in Aave's Lido market.
 */
export const MAINNET_BORROW_ONLY: Partial<Record<DevnetAaveMarketName, readonly DevnetAssetId[]>> = {
  "aave-v3.0": ["USDC"],
};

/** `reserves` with the listed assets made borrow-only: no collateral, LTV, threshold and bonus 0. */
export function withBorrowOnly(
  reserves: Record<DevnetAssetId, AaveReserveParams>,
  borrowOnly: readonly DevnetAssetId[],
): Record<DevnetAssetId, AaveReserveParams> {
  return Object.fromEntries(
    Object.entries(reserves).map(([asset, params]) => [
      asset,
      borrowOnly.includes(asset)
        ? { ...params, collateral: false, ltvBps: 0, liquidationThresholdBps: 0, liquidationBonusBps: 0 }
        : params,
    ]),
  );
}
