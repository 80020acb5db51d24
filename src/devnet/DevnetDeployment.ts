import type { Address } from "viem";
import type { AaveDeployment, DevnetAssetId } from "./aave/AaveDeployment.js";
import type { MorphoBlueDeployment } from "./morpho/deployMorphoBlue.js";
import type { DevnetAaveMarketName } from "./seed/positionPlan.js";
import type { DevnetTokens } from "./tokens/deployTestTokens.js";
import type { UniswapV2Deployment } from "./uniswap/deployUniswapV2.js";

/** Every contract the devnet deployed, by role. */
export interface DevnetDeployment {
  tokens: DevnetTokens;
  uniswap: UniswapV2Deployment;
  /** Aave-style USD price source (8 decimals) of each asset; Morpho oracles read the same ones. */
  priceSources: Record<DevnetAssetId, Address>;
  aave: Partial<Record<DevnetAaveMarketName, AaveDeployment>>;
  morpho?: MorphoBlueDeployment;
  multicall3: Address;
}
