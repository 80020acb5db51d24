/** Aave V3 addresses provider, oracle (prices in the base currency, USD with 8 decimals on V3 markets) and L2 sentinel. */
import { parseAbi } from "viem";

export const aaveV3AddressesProviderAbi = parseAbi([
  "function getPriceOracle() view returns (address)",
  "function getPool() view returns (address)",
  "function getPriceOracleSentinel() view returns (address)",
]);

export const aaveV3OracleAbi = parseAbi([
  "function getAssetsPrices(address[] assets) view returns (uint256[])",
  "function getSourceOfAsset(address asset) view returns (address)",
  "function getFallbackOracle() view returns (address)",
  "function BASE_CURRENCY_UNIT() view returns (uint256)",
]);

/** The L2 price-oracle sentinel: liquidations wait for a grace period after the sequencer comes back. */
export const aaveV3PriceOracleSentinelAbi = parseAbi([
  "function isLiquidationAllowed() view returns (bool)",
  "function getGracePeriod() view returns (uint256)",
]);
