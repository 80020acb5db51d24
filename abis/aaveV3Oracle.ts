/** Aave V3 addresses provider and oracle (prices in the base currency, USD with 8 decimals on V3 markets). */
import { parseAbi } from "viem";

export const aaveV3AddressesProviderAbi = parseAbi([
  "function getPriceOracle() view returns (address)",
  "function getPool() view returns (address)",
]);

export const aaveV3OracleAbi = parseAbi([
  "function getAssetsPrices(address[] assets) view returns (uint256[])",
  "function BASE_CURRENCY_UNIT() view returns (uint256)",
]);
