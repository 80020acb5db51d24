/**
 * Aave's price-cap (CAPO) adapters. The exchange-rate kind answers `ratio x BASE_TO_USD_AGGREGATOR`
 * (wstETH = stETH per wstETH x ETH/USD), the stable kind `min(ASSET_TO_USD_AGGREGATOR, cap)`.
 */
import { parseAbi } from "viem";

export const aavePriceCapAdapterAbi = parseAbi([
  "function BASE_TO_USD_AGGREGATOR() view returns (address)",
  "function ASSET_TO_USD_AGGREGATOR() view returns (address)",
  "function RATIO_PROVIDER() view returns (address)",
  "function RATIO_DECIMALS() view returns (uint8)",
  "function getRatio() view returns (int256)",
  "function isCapped() view returns (bool)",
]);
