/** Uniswap V3 SwapRouter (v3-periphery): exact-input swaps through one pool or a path of pools, exact-output
 * swaps through one pool. */
import { parseAbi } from "viem";

export const uniswapV3SwapRouterAbi = parseAbi([
  "struct ExactInputSingleParams { address tokenIn; address tokenOut; uint24 fee; address recipient; uint256 deadline; uint256 amountIn; uint256 amountOutMinimum; uint160 sqrtPriceLimitX96; }",
  "struct ExactInputParams { bytes path; address recipient; uint256 deadline; uint256 amountIn; uint256 amountOutMinimum; }",
  "function exactInputSingle(ExactInputSingleParams params) payable returns (uint256 amountOut)",
  "struct ExactOutputSingleParams { address tokenIn; address tokenOut; uint24 fee; address recipient; uint256 deadline; uint256 amountOut; uint256 amountInMaximum; uint160 sqrtPriceLimitX96; }",
  "function exactInput(ExactInputParams params) payable returns (uint256 amountOut)",
  "function exactOutputSingle(ExactOutputSingleParams params) payable returns (uint256 amountIn)",
  "function factory() view returns (address)",
]);
