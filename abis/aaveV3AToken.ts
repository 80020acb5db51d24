/**
 * Aave V3 aToken: the event of a transfer between two accounts (emitted beside the ERC-20
 * `Transfer`, and only for transfers: mints and burns come with pool events). A transfer moves
 * collateral without any pool event unless it empties the sender's balance or fills the
 * receiver's first, so the indexer follows it on the reserves' aTokens.
 */
import { parseAbi } from "viem";

export const aaveV3ATokenAbi = parseAbi([
  "event BalanceTransfer(address indexed from, address indexed to, uint256 value, uint256 index)",
]);
