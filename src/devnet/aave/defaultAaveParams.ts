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
