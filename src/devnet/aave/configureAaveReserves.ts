import type { Abi, Address } from "viem";
import { sendAndWait } from "../solidity/deployArtifact.js";
import type { AaveReserveParams, DevnetClients } from "./AaveDeployment.js";

/**
 * Sets each listed reserve's risk parameters through the pool configurator (the same four calls on
 * V3.0 and V3.6): collateral LTV, threshold and bonus when it is collateral, borrowing when
 * borrowable, then reserve factor and liquidation protocol fee (all basis points).
 */
export async function configureAaveReserves(
  clients: DevnetClients,
  configurator: { address: Address; abi: Abi },
  reserves: ReadonlyArray<{ asset: Address; params: AaveReserveParams }>,
): Promise<void> {
  const send = (functionName: string, args: readonly unknown[]) =>
    sendAndWait(clients, { ...configurator, functionName, args });
  for (const { asset, params } of reserves) {
    if (params.collateral) {
      await send("configureReserveAsCollateral", [
        asset,
        BigInt(params.ltvBps),
        BigInt(params.liquidationThresholdBps),
        BigInt(params.liquidationBonusBps),
      ]);
    }
    if (params.borrowable) await send("setReserveBorrowing", [asset, true]);
    await send("setReserveFactor", [asset, BigInt(params.reserveFactorBps)]);
    await send("setLiquidationProtocolFee", [asset, BigInt(params.liquidationProtocolFeeBps)]);
  }
}
