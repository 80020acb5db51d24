/**
 * Uniswap V3 QuoterV2 (v3-periphery lens): what an exact-input swap would return, simulated by
 * reverting inside the pool; called with eth_call (its functions are not `view` on chain).
 */
import { parseAbi } from "viem";

export const uniswapV3QuoterV2Abi = parseAbi([
  "struct QuoteExactInputSingleParams { address tokenIn; address tokenOut; uint256 amountIn; uint24 fee; uint160 sqrtPriceLimitX96; }",
  "function quoteExactInputSingle(QuoteExactInputSingleParams params) returns (uint256 amountOut, uint160 sqrtPriceX96After, uint32 initializedTicksCrossed, uint256 gasEstimate)",
]);
