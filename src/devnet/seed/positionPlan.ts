import type { Address } from "viem";
import type { DevnetAssetId } from "../aave/AaveDeployment.js";

/** Name of a devnet Aave market, also its `name` in the deployment file. */
export type DevnetAaveMarketName = "aave-v3.0" | "aave-v3.6";

/** An Aave position the seeder opens: supplies every collateral, enters `emode`, borrows `debt`. */
export interface AavePositionPlan {
  protocol: "aave-v3";
  market: DevnetAaveMarketName;
  account: Address;
  /** eMode category, 0 for none. */
  emode: number;
  collateral: Array<{ asset: DevnetAssetId; amountWei: bigint }>;
  debt: { asset: DevnetAssetId; amountWei: bigint };
  /** Health factor intended at the seeding prices (Aave's, with the eMode threshold when in eMode). */
  healthFactor: number;
  whale: boolean;
}

/** A Morpho Blue position: supplies `collateralWei` to market `marketIndex`, borrows `debtWei`. */
export interface MorphoPositionPlan {
  protocol: "morpho-blue";
  /** Index into the deployed Morpho markets. */
  marketIndex: number;
  account: Address;
  collateralWei: bigint;
  debtWei: bigint;
  /** collateral value × lltv / debt value at the seeding prices. */
  healthFactor: number;
  whale: boolean;
}

export type PositionPlan = AavePositionPlan | MorphoPositionPlan;
