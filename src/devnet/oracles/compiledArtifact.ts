import { FatalError } from "../../core/errors.js";
import type { DeployableArtifact } from "../deploy/deployContract.js";
import type { CompiledContracts } from "../solidity/solcTypes.js";

/** One of the devnet's own contracts (`contracts/<Name>.sol:<Name>`) from the compiled set. */
export function compiledArtifact(contracts: CompiledContracts, name: string): DeployableArtifact {
  const contract = contracts[`contracts/${name}.sol:${name}`];
  if (contract === undefined) throw new FatalError(`devnet: contract ${name} is not in contracts/`);
  return contract;
}
