import type { Address } from "viem";
import type { AaveDeployment, DevnetAssetId } from "./aave/AaveDeployment.js";
import type { DevnetProfile } from "./devnetProfile.js";
import type { MorphoBlueDeployment } from "./morpho/deployMorphoBlue.js";
import type { MainnetOracles } from "./oracles/deployMainnetOracles.js";
import type { DevnetAaveMarketName } from "./seed/positionPlan.js";
import type { DevnetTokens } from "./tokens/deployTestTokens.js";
import type { UniswapV2Deployment } from "./uniswap/deployUniswapV2.js";
import type { UniswapV3Deployment } from "./uniswap/deployUniswapV3.js";

/** Every contract the devnet deployed, by role. */
export interface DevnetDeployment {
  profile: DevnetProfile;
  tokens: DevnetTokens;
  uniswap: UniswapV2Deployment;
  /** Uniswap V3 (factory, periphery, pools) when the devnet was asked for pools. */
  uniswapV3?: UniswapV3Deployment;
  /** The mainnet profile's feeds, exchange-rate adapter and per-market Aave sources. */
  oracles?: MainnetOracles;
  /** Aave-style USD price source (8 decimals) of each asset; Morpho oracles read the same ones. */
  priceSources: Record<DevnetAssetId, Address>;
  aave: Partial<Record<DevnetAaveMarketName, AaveDeployment>>;
  morpho?: MorphoBlueDeployment;
  multicall3: Address;
}
