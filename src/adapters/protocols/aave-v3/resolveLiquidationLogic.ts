/**
 * Which liquidation logic an Aave V3 pool runs. The config wins when it says; otherwise the pool
 * is asked: `getReserveDeficit` arrived with V3.3 together with the new close factor and dust
 * rules, so a pool that answers it runs `v3.3` and one that does not runs `v3.0` (V3.0-3.2 and
 * the forks that kept them).
 */
import type { Address } from "viem";
import { aaveV3PoolAbi } from "../../../../abis/aaveV3Pool.js";
import { classifyRpcError } from "../../chain/classifyRpcError.js";
import type { ChainClient } from "../../chain/createChainClient.js";

export type AaveLiquidationLogic = "v3.0" | "v3.3";

export async function resolveLiquidationLogic(
  client: ChainClient,
  pool: Address,
  anyReserve: Address,
  configured: AaveLiquidationLogic | undefined,
  blockNumber: bigint,
): Promise<AaveLiquidationLogic> {
  if (configured !== undefined) return configured;
  try {
    await client.readContract({
      address: pool,
      abi: aaveV3PoolAbi,
      functionName: "getReserveDeficit",
      args: [anyReserve],
      blockNumber,
    });
    return "v3.3";
  } catch (error) {
    // Only a revert means "no such function"; a network fault must not decide the logic.
    if (classifyRpcError(error) === "fatal") return "v3.0";
    throw error;
  }
}
