/** The devnet's test tokens, Aave's MintableERC20 from @aave/core-v3: an ERC-20 whose `mint` anyone may call. */
import { parseAbi } from "viem";

export const mintableErc20Abi = parseAbi([
  "function mint(address account, uint256 value) returns (bool)",
  "function approve(address spender, uint256 value) returns (bool)",
  "function balanceOf(address account) view returns (uint256)",
  "function decimals() view returns (uint8)",
]);
