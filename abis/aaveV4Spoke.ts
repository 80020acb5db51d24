/**
 * Aave V4 Spoke: the views and events the indexer reads, written from the published ISpoke and
 * ISpokeBase interfaces. Percentages are BPS (10000 = 100%), health factors WAD (1e18).
 */
import { parseAbi } from "viem";

export const aaveV4SpokeAbi = parseAbi([
  "struct Reserve { address underlying; address hub; uint16 assetId; uint8 decimals; uint24 dynamicConfigKey; uint24 collateralRisk; uint8 flags; }",
  "struct DynamicReserveConfig { uint16 collateralFactor; uint32 maxLiquidationBonus; uint16 liquidationFee; }",
  "struct LiquidationConfig { uint128 targetHealthFactor; uint64 healthFactorForMaxBonus; uint16 liquidationBonusFactor; }",
  "struct UserPosition { uint120 drawnShares; uint120 premiumShares; int200 premiumOffsetRay; uint120 suppliedShares; uint24 dynamicConfigKey; }",
  "struct PremiumDelta { int256 sharesDelta; int256 offsetRayDelta; uint256 restoredPremiumRay; }",
  "function getReserveCount() view returns (uint256)",
  "function getReserve(uint256 reserveId) view returns (Reserve)",
  "function getDynamicReserveConfig(uint256 reserveId, uint24 dynamicConfigKey) view returns (DynamicReserveConfig)",
  "function getLiquidationConfig() view returns (LiquidationConfig)",
  "function getUserReserveStatus(uint256 reserveId, address user) view returns (bool, bool)",
  "function getUserPosition(uint256 reserveId, address user) view returns (UserPosition)",
  "function getUserSuppliedAssets(uint256 reserveId, address user) view returns (uint256)",
  "function getUserTotalDebt(uint256 reserveId, address user) view returns (uint256)",
  "function ORACLE() view returns (address)",
  "event Supply(uint256 indexed reserveId, address indexed caller, address indexed user, uint256 suppliedShares)",
  "event Withdraw(uint256 indexed reserveId, address indexed caller, address indexed user, uint256 suppliedShares)",
  "event Borrow(uint256 indexed reserveId, address indexed caller, address indexed user, uint256 drawnShares)",
  "event Repay(uint256 indexed reserveId, address indexed caller, address indexed user, uint256 drawnShares, PremiumDelta premiumDelta)",
  "event LiquidationCall(uint256 indexed collateralReserveId, uint256 indexed debtReserveId, address indexed user, uint256 debtToLiquidate, uint256 collateralToLiquidate, address liquidator, bool receiveShares)",
  "event SetUsingAsCollateral(uint256 indexed reserveId, address indexed caller, address indexed user, bool usingAsCollateral)",
  "event RefreshAllUserDynamicConfig(address indexed user)",
  "event RefreshSingleUserDynamicConfig(address indexed user, uint256 reserveId)",
  "event UpdateLiquidationConfig(LiquidationConfig config)",
  "event AddDynamicReserveConfig(uint256 indexed reserveId, uint24 indexed dynamicConfigKey, DynamicReserveConfig config)",
  "event UpdateDynamicReserveConfig(uint256 indexed reserveId, uint24 indexed dynamicConfigKey, DynamicReserveConfig config)",
  "event AddReserve(uint256 indexed reserveId, uint256 indexed assetId, address indexed hub)",
]);

/** The Spoke's AaveOracle: reserve prices in USD with 8 decimals. */
export const aaveV4OracleAbi = parseAbi([
  "function getReservesPrices(uint256[] reserveIds) view returns (uint256[])",
  "function getReserveSource(uint256 reserveId) view returns (address)",
]);
