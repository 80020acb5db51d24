import { type Address, type Log, parseEventLogs } from "viem";
import { aaveV3PoolAbi } from "../../../abis/aaveV3Pool.js";
import { erc20Abi } from "../../../abis/erc20.js";
import { morphoBlueAbi } from "../../../abis/morphoBlue.js";
import type { PlannedLiquidation } from "./planRound.js";
import type { MinedBatch } from "./sendCallsInOneBlock.js";

/** What one liquidation transaction really did, from its events (raw units). */
export interface ExecutedLiquidation {
  readonly plan: PlannedLiquidation;
  readonly repaidWei: bigint;
  /** Collateral taken from the position, protocol fee included. */
  readonly seizedWei: bigint;
  /** Collateral the liquidator received (seized minus the protocol fee): what it sells. */
  readonly soldWei: bigint;
  /** Morpho's realized bad debt (loan token); Aave's is derived from the position (V3.0 never writes it off). */
  readonly badDebtWrittenOffWei: bigint;
}

/**
 * Reads each liquidation's amounts from its receipt: Aave `LiquidationCall` (debt covered and
 * collateral to the liquidator), the aToken transfer of the protocol fee from the borrower to the
 * treasury; Morpho `Liquidate`. A reverted transaction is returned in `failed`.
 */
export function collectRoundResults(
  planned: readonly PlannedLiquidation[],
  receipts: MinedBatch["receipts"],
  collateralATokenOf: (plan: PlannedLiquidation) => Address | undefined,
): { executed: ExecutedLiquidation[]; failed: PlannedLiquidation[] } {
  const executed: ExecutedLiquidation[] = [];
  const failed: PlannedLiquidation[] = [];
  planned.forEach((plan, k) => {
    const receipt = receipts[k];
    if (receipt === undefined || BigInt(receipt.status) !== 1n) {
      failed.push(plan);
      return;
    }
    const logs = receipt.logs as unknown as Log[];
    if (plan.protocol === "aave-v3") {
      const [call] = parseEventLogs({ abi: aaveV3PoolAbi, logs, eventName: "LiquidationCall" });
      const aToken = collateralATokenOf(plan)?.toLowerCase();
      const fee = parseEventLogs({ abi: erc20Abi, logs, eventName: "Transfer" })
        .filter(
          (log) =>
            log.address.toLowerCase() === aToken &&
            log.args.from.toLowerCase() === plan.account.toLowerCase() &&
            log.args.to !== "0x0000000000000000000000000000000000000000",
        )
        .reduce((sum, log) => sum + log.args.value, 0n);
      if (call === undefined) {
        failed.push(plan);
        return;
      }
      executed.push({
        plan,
        repaidWei: call.args.debtToCover,
        seizedWei: call.args.liquidatedCollateralAmount + fee,
        soldWei: call.args.liquidatedCollateralAmount,
        badDebtWrittenOffWei: 0n,
      });
    } else {
      const [event] = parseEventLogs({ abi: morphoBlueAbi, logs, eventName: "Liquidate" });
      if (event === undefined) {
        failed.push(plan);
        return;
      }
      executed.push({
        plan,
        repaidWei: event.args.repaidAssets,
        seizedWei: event.args.seizedAssets,
        soldWei: event.args.seizedAssets,
        badDebtWrittenOffWei: event.args.badDebtAssets,
      });
    }
  });
  return { executed, failed };
}
