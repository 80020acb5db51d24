import { createRequire } from "node:module";
import type { Abi, Hex } from "viem";
import { FatalError } from "../../core/errors.js";
import type { CompiledContract, LinkReferences } from "../solidity/solcTypes.js";

const require = createRequire(import.meta.url);

/**
 * Reads a compiled artifact shipped in an npm package (Hardhat or Waffle JSON), e.g.
 * `@uniswap/v2-core/build/UniswapV2Factory.json`. Bytecode gets its `0x` prefix if the file lacks it.
 */
export function loadPackageArtifact(specifier: string): CompiledContract {
  let json: unknown;
  try {
    json = require(specifier);
  } catch (cause) {
    throw new FatalError(`devnet: artifact ${specifier} is not installed`, { cause });
  }
  const artifact = json as { abi?: unknown; bytecode?: unknown; linkReferences?: unknown };
  if (!Array.isArray(artifact.abi) || typeof artifact.bytecode !== "string") {
    throw new FatalError(`devnet: ${specifier} is not a compiled artifact (abi and bytecode expected)`);
  }
  const bytecode = artifact.bytecode.startsWith("0x") ? artifact.bytecode : `0x${artifact.bytecode}`;
  return {
    abi: artifact.abi as Abi,
    bytecode: bytecode as Hex,
    linkReferences: (artifact.linkReferences ?? {}) as LinkReferences,
  };
}
