/** Uniswap V2 pair: which tokens it holds and its reserves. */
import { parseAbi } from "viem";

export const uniswapV2PairAbi = parseAbi([
  "function token0() view returns (address)",
  "function token1() view returns (address)",
  "function getReserves() view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast)",
]);
