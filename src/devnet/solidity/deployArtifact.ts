import type { Abi, Address, Hex } from "viem";
import { FatalError } from "../../core/errors.js";
import type { DevnetClients } from "../aave/AaveDeployment.js";
import { gasWithHeadroom } from "../chain/gasWithHeadroom.js";
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
 * Sends one contract call from the wallet account and waits until it is mined successfully. The gas
 * limit is `gas` when given, else the node's estimate with headroom (`gasWithHeadroom`): a call can
 * cost more in the block that mines it than in the estimate's, when the timestamp moved between them.
 */
export async function sendAndWait(
  clients: DevnetClients,
  call: { address: Address; abi: Abi; functionName: string; args?: readonly unknown[]; gas?: bigint },
): Promise<void> {
  const request = {
    address: call.address,
    abi: call.abi,
    functionName: call.functionName,
    args: [...(call.args ?? [])],
  };
  const gas =
    call.gas ??
    gasWithHeadroom(
      await clients.public.estimateContractGas({ ...request, account: clients.wallet.account }),
    );
  const hash = await clients.wallet.writeContract({ ...request, gas });
  const receipt = await clients.public.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success")
    throw new FatalError(`${call.functionName} reverted (transaction ${hash})`);
}
