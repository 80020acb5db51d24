import { type Abi, type Address, getAddress, type Hex } from "viem";
import { FatalError } from "../../../core/errors.js";
import type { DevnetClients } from "../aave/AaveDeployment.js";

export interface DeployableArtifact {
  readonly abi: Abi;
  /** Creation bytecode, fully linked. */
  readonly bytecode: Hex;
}

/** Deploys one contract from the wallet client's account and waits for its receipt (automine expected). */
export async function deployContract(
  clients: DevnetClients,
  artifact: DeployableArtifact,
  args: readonly unknown[] = [],
  label = "contract",
): Promise<Address> {
  const hash = await clients.wallet.deployContract({
    abi: artifact.abi,
    bytecode: artifact.bytecode,
    args: args as unknown[],
  });
  const receipt = await clients.public.waitForTransactionReceipt({ hash, pollingInterval: 5 });
  if (receipt.status !== "success" || receipt.contractAddress == null) {
    throw new FatalError(`devnet: deploying ${label} reverted`, { details: { hash } });
  }
  return getAddress(receipt.contractAddress);
}

/** Sends one transaction to an already deployed contract and waits for it; throws if it reverted. */
export async function sendAndWait(
  clients: DevnetClients,
  call: { address: Address; abi: Abi; functionName: string; args?: readonly unknown[] },
  label = call.functionName,
): Promise<void> {
  const hash = await clients.wallet.writeContract({
    address: call.address,
    abi: call.abi,
    functionName: call.functionName,
    args: (call.args ?? []) as unknown[],
  });
  const receipt = await clients.public.waitForTransactionReceipt({ hash, pollingInterval: 5 });
  if (receipt.status !== "success") {
    throw new FatalError(`devnet: ${label} reverted`, { details: { hash } });
  }
}
