import type { Address, PublicClient } from "viem";
import { aaveV3PoolAbi } from "../../../abis/aaveV3Pool.js";
import { erc20Abi } from "../../../abis/erc20.js";
import type { AaveMarketInfo, AaveReserveInfo } from "./liquidatorAaveMarket.js";

/** One Aave position as on chain: collateral (enabled as collateral, non-zero) and variable debt, in wei. */
export interface AavePositionState {
  readonly account: Address;
  readonly emode: number;
  readonly collateral: ReadonlyArray<{ readonly reserve: AaveReserveInfo; readonly amountWei: bigint }>;
  readonly debt: ReadonlyArray<{ readonly reserve: AaveReserveInfo; readonly amountWei: bigint }>;
}

/**
 * Calldata per Multicall3 chunk: about 500 balance reads, a few million gas, far under anvil's 30M call
 * cap (viem's default of 1 KB would make hundreds of round trips for a large book).
 */
export const MULTICALL_BATCH_BYTES = 48_000;

/** Reads every borrower's balances in one multicall pass (viem chunks it under the call gas cap). */
export async function readAavePositions(
  client: PublicClient,
  market: AaveMarketInfo,
): Promise<AavePositionState[]> {
  const { pool } = market.target;
  const perAccount = 2 + 2 * market.reserves.length;
  const results = await client.multicall({
    allowFailure: false,
    batchSize: MULTICALL_BATCH_BYTES,
    contracts: market.borrowers.flatMap((account) => [
      { address: pool, abi: aaveV3PoolAbi, functionName: "getUserEMode" as const, args: [account] as const },
      {
        address: pool,
        abi: aaveV3PoolAbi,
        functionName: "getUserConfiguration" as const,
        args: [account] as const,
      },
      ...market.reserves.flatMap((reserve) => [
        {
          address: reserve.aToken,
          abi: erc20Abi,
          functionName: "balanceOf" as const,
          args: [account] as const,
        },
        {
          address: reserve.variableDebtToken,
          abi: erc20Abi,
          functionName: "balanceOf" as const,
          args: [account] as const,
        },
      ]),
    ]),
  });
  return market.borrowers.map((account, n) => {
    const base = n * perAccount;
    const emode = Number(results[base] as bigint);
    const configuration = (results[base + 1] as { data: bigint }).data;
    const collateral: Array<{ reserve: AaveReserveInfo; amountWei: bigint }> = [];
    const debt: Array<{ reserve: AaveReserveInfo; amountWei: bigint }> = [];
    market.reserves.forEach((reserve, k) => {
      const supplied = results[base + 2 + 2 * k] as bigint;
      const borrowed = results[base + 3 + 2 * k] as bigint;
      // Bit 2i+1 of the user configuration: reserve i is used as collateral.
      const usedAsCollateral = ((configuration >> BigInt(2 * reserve.reserveId + 1)) & 1n) === 1n;
      if (usedAsCollateral && supplied > 0n) collateral.push({ reserve, amountWei: supplied });
      if (borrowed > 0n) debt.push({ reserve, amountWei: borrowed });
    });
    return { account, emode, collateral, debt };
  });
}
