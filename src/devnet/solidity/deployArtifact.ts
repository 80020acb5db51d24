import type { Abi, Address, Hex } from "viem";
import { FatalError } from "../../core/errors.js";
import type { DevnetClients } from "../aave/AaveDeployment.js";
import { linkBytecode } from "./linkBytecode.js";
import type { CompiledContract, CompiledContracts } from "./solcTypes.js";

/** The artifact `"file:Contract"` of a compilation, or a FatalError naming it. */
export function artifactOf(contracts: CompiledContracts, name: string): CompiledContract {
  const artifact = contracts[name];
  if (artifact === undefined) throw new FatalError(`compiled artifact ${name} is missing`);
  return artifact;
}

/** Deploys an artifact (linking `libraries` first) from the wallet account and waits for its address. */
export async function deployArtifact(
  clients: DevnetClients,
  artifact: CompiledContract,
  args: readonly unknown[] = [],
  libraries: Record<string, Address> = {},
): Promise<Address> {
  const bytecode: Hex = linkBytecode(artifact.bytecode, artifact.linkReferences, libraries);
  const hash = await clients.wallet.deployContract({ abi: artifact.abi, bytecode, args: [...args] });
  const receipt = await clients.public.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success" || receipt.contractAddress == null) {
    throw new FatalError(`deployment reverted (transaction ${hash})`);
  }
  return receipt.contractAddress;
}

/**
 * Sends one contract call from the wallet account and waits until it is mined successfully. `gas`
 * replaces the estimate where a call costs more in the next block than in the estimate's (a Uniswap
 * V3 pool writes a new oracle observation when the timestamp moved).
 */
export async function sendAndWait(
  clients: DevnetClients,
  call: { address: Address; abi: Abi; functionName: string; args?: readonly unknown[]; gas?: bigint },
): Promise<void> {
  const hash = await clients.wallet.writeContract({
    address: call.address,
    abi: call.abi,
    functionName: call.functionName,
    args: [...(call.args ?? [])],
    ...(call.gas === undefined ? {} : { gas: call.gas }),
  });
  const receipt = await clients.public.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success")
    throw new FatalError(`${call.functionName} reverted (transaction ${hash})`);
}
