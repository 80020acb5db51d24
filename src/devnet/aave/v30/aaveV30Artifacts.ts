import { loadPackageArtifact } from "../../deploy/loadPackageArtifact.js";
import type { CompiledContract } from "../../solidity/solcTypes.js";

const CORE = "@aave/core-v3/artifacts/contracts";
// Periphery 3.0.1 is built against core 1.16 (V3.0): its UiPoolDataProviderV3 reads V3.0's structs.
const PERIPHERY = "@aave/periphery-v3/artifacts/contracts";

const PATHS = {
  PoolAddressesProvider: `${CORE}/protocol/configuration/PoolAddressesProvider.sol/PoolAddressesProvider.json`,
  ACLManager: `${CORE}/protocol/configuration/ACLManager.sol/ACLManager.json`,
  Pool: `${CORE}/protocol/pool/Pool.sol/Pool.json`,
  PoolConfigurator: `${CORE}/protocol/pool/PoolConfigurator.sol/PoolConfigurator.json`,
  DefaultReserveInterestRateStrategy: `${CORE}/protocol/pool/DefaultReserveInterestRateStrategy.sol/DefaultReserveInterestRateStrategy.json`,
  AaveOracle: `${CORE}/misc/AaveOracle.sol/AaveOracle.json`,
  AaveProtocolDataProvider: `${CORE}/misc/AaveProtocolDataProvider.sol/AaveProtocolDataProvider.json`,
  AToken: `${CORE}/protocol/tokenization/AToken.sol/AToken.json`,
  StableDebtToken: `${CORE}/protocol/tokenization/StableDebtToken.sol/StableDebtToken.json`,
  VariableDebtToken: `${CORE}/protocol/tokenization/VariableDebtToken.sol/VariableDebtToken.json`,
  SupplyLogic: `${CORE}/protocol/libraries/logic/SupplyLogic.sol/SupplyLogic.json`,
  BorrowLogic: `${CORE}/protocol/libraries/logic/BorrowLogic.sol/BorrowLogic.json`,
  LiquidationLogic: `${CORE}/protocol/libraries/logic/LiquidationLogic.sol/LiquidationLogic.json`,
  EModeLogic: `${CORE}/protocol/libraries/logic/EModeLogic.sol/EModeLogic.json`,
  BridgeLogic: `${CORE}/protocol/libraries/logic/BridgeLogic.sol/BridgeLogic.json`,
  PoolLogic: `${CORE}/protocol/libraries/logic/PoolLogic.sol/PoolLogic.json`,
  FlashLoanLogic: `${CORE}/protocol/libraries/logic/FlashLoanLogic.sol/FlashLoanLogic.json`,
  ConfiguratorLogic: `${CORE}/protocol/libraries/logic/ConfiguratorLogic.sol/ConfiguratorLogic.json`,
  UiPoolDataProviderV3: `${PERIPHERY}/misc/UiPoolDataProviderV3.sol/UiPoolDataProviderV3.json`,
} as const;

export type AaveV30ContractName = keyof typeof PATHS;

/** An Aave V3.0 artifact from `@aave/core-v3` (1.19.x) or `@aave/periphery-v3` (3.0.1), as shipped. */
export function aaveV30Artifact(name: AaveV30ContractName): CompiledContract {
  return loadPackageArtifact(PATHS[name]);
}
