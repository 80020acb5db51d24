import type { Account, Address, Chain, PublicClient, Transport, WalletClient } from "viem";

/** Devnet asset id (`WETH`, `WBTC`, `wstETH`, `USDC`): the same id names the token, its pair and its reserve. */
export type DevnetAssetId = string;

/** One Aave reserve as deployed: the underlying token and the tokens the pool minted for it. */
export interface AaveReserveDeployment {
  underlying: Address;
  aToken: Address;
  variableDebtToken: Address;
  decimals: number;
}

/** One eMode category as configured; ltv/threshold/bonus in basis points (bonus 10500 = 5%). */
export interface AaveEModeDeployment {
  label: string;
  ltv: number;
  liquidationThreshold: number;
  liquidationBonus: number;
  assets: DevnetAssetId[];
}

/** What deploying an Aave V3 market returns, whichever version (V3.0 artifacts or V3.6 sources). */
export interface AaveDeployment {
  version: "v3.0" | "v3.6";
  /** Liquidation logic of `docs/cascade-model.md`: V3.0 keeps the 50% close factor with no dust rule; V3.3+ adds them. */
  liquidationLogic: "v3.0" | "v3.3";
  addressesProvider: Address;
  aclManager: Address;
  pool: Address;
  poolConfigurator: Address;
  oracle: Address;
  poolDataProvider: Address;
  uiPoolDataProvider: Address;
  reserves: Record<DevnetAssetId, AaveReserveDeployment>;
  emodes: Record<number, AaveEModeDeployment>;
  /** Block of the first deployment transaction (indexers start from it). */
  deployBlock: bigint;
}

/** viem clients an Aave deployer needs: a public client and a wallet client holding the deployer account. */
export interface DevnetClients {
  public: PublicClient<Transport, Chain>;
  wallet: WalletClient<Transport, Chain, Account>;
}

/** Risk parameters of one reserve, all in basis points (bonus 10500 = 5% bonus). */
export interface AaveReserveParams {
  ltvBps: number;
  liquidationThresholdBps: number;
  liquidationBonusBps: number;
  reserveFactorBps: number;
  liquidationProtocolFeeBps: number;
  borrowable: boolean;
  collateral: boolean;
}

/** The single eMode category a devnet Aave market gets (basis points as above). */
export interface AaveEModeParams {
  id: number;
  label: string;
  ltvBps: number;
  liquidationThresholdBps: number;
  liquidationBonusBps: number;
  assets: DevnetAssetId[];
  /**
   * Aave V3.6 only: the assets borrowable in the category (default: every asset in `assets`);
   * collateral stays `assets`. V3.0 has one membership for both.
   */
  borrowableAssets?: DevnetAssetId[];
}

/** Input of `deployAaveV30` and `deployAaveV36`. */
export interface AaveDeployInput {
  clients: DevnetClients;
  tokens: Record<DevnetAssetId, { address: Address; decimals: number }>;
  /** Per asset, an AggregatorInterface (`latestAnswer()`, USD with 8 decimals). */
  priceSources: Record<DevnetAssetId, Address>;
  reserves: Record<DevnetAssetId, AaveReserveParams>;
  emode: AaveEModeParams;
}
