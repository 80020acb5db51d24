/** Uniswap V3 factory: the pool of a token pair at one fee tier (zero address when none). */
import { parseAbi } from "viem";

export const uniswapV3FactoryAbi = parseAbi([
  "function getPool(address tokenA, address tokenB, uint24 fee) view returns (address)",
]);
