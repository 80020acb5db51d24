/** ERC-4626 vault conversion (a Morpho oracle's base or quote vault). */
import { parseAbi } from "viem";

export const erc4626Abi = parseAbi(["function convertToAssets(uint256 shares) view returns (uint256)"]);
