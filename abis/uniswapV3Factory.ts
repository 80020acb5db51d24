/**
 * Uniswap V3 factory: the pool of a token pair at one fee tier (zero address when none), the tiers'
 * tick spacings, pool creation, and the owner's enabling of a fee tier.
 */
import { parseAbi } from "viem";

export const uniswapV3FactoryAbi = parseAbi([
  "function getPool(address tokenA, address tokenB, uint24 fee) view returns (address)",
  "function feeAmountTickSpacing(uint24 fee) view returns (int24)",
  "function createPool(address tokenA, address tokenB, uint24 fee) returns (address pool)",
  "function enableFeeAmount(uint24 fee, int24 tickSpacing)",
  "event PoolCreated(address indexed token0, address indexed token1, uint24 indexed fee, int24 tickSpacing, address pool)",
]);
