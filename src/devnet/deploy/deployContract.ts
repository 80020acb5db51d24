import { type Abi, type Address, getAddress, type Hex } from "viem";
import { FatalError } from "../../core/errors.js";
import type { DevnetClients } from "../aave/AaveDeployment.js";
import { deployArtifact } from "../solidity/deployArtifact.js";

export interface DeployableArtifact {
  readonly abi: Abi;
  /** Creation bytecode, fully linked. */
  readonly bytecode: Hex;
}

/**
 * Deploys one linked contract from the wallet account (automine expected) and returns its
 * checksummed address; a failure names what was being deployed.
 */
export async function deployContract(
  clients: DevnetClients,
  artifact: DeployableArtifact,
  args: readonly unknown[] = [],
  label = "contract",
): Promise<Address> {
  try {
    return getAddress(
      await deployArtifact(
        clients,
        { abi: artifact.abi, bytecode: artifact.bytecode, linkReferences: {} },
        args,
      ),
    );
  } catch (cause) {
    throw new FatalError(`devnet: deploying ${label} failed`, { cause });
  }
}
