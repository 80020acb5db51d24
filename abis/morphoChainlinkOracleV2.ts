/**
 * Morpho's `MorphoChainlinkOracleV2`: price = SCALE_FACTOR x base vault assets x base feeds /
 * (quote vault assets x quote feeds), loan wei per collateral wei scaled by 1e36.
 */
import { parseAbi } from "viem";

export const morphoChainlinkOracleV2Abi = parseAbi([
  "function BASE_VAULT() view returns (address)",
  "function BASE_VAULT_CONVERSION_SAMPLE() view returns (uint256)",
  "function QUOTE_VAULT() view returns (address)",
  "function QUOTE_VAULT_CONVERSION_SAMPLE() view returns (uint256)",
  "function BASE_FEED_1() view returns (address)",
  "function BASE_FEED_2() view returns (address)",
  "function QUOTE_FEED_1() view returns (address)",
  "function QUOTE_FEED_2() view returns (address)",
  "function SCALE_FACTOR() view returns (uint256)",
  "function price() view returns (uint256)",
]);
