/** Uniswap V2 pair: which tokens it holds, its reserves, and the low-level calls the devnet trades and moves pairs with. */
import { parseAbi } from "viem";

export const uniswapV2PairAbi = parseAbi([
  "function token0() view returns (address)",
  "function token1() view returns (address)",
  "function getReserves() view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast)",
  "function totalSupply() view returns (uint256)",
  "function swap(uint256 amount0Out, uint256 amount1Out, address to, bytes data)",
  "function burn(address to) returns (uint256 amount0, uint256 amount1)",
  "function sync()",
]);
