import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { compileSolidity } from "../solidity/compileSolidity.js";
import { projectSolcCacheDir } from "../solidity/projectCacheDir.js";
import type { CompiledContracts } from "../solidity/solcTypes.js";

/** The project's own Solidity folder (`contracts/` at the project root). */
export function devnetContractsDir(): string {
  return join(dirname(dirname(projectSolcCacheDir())), "contracts");
}

/** Every `contracts/*.sol` source, keyed `contracts/<file>` as solc sees it. */
export function devnetContractSources(
  directory: string = devnetContractsDir(),
): Record<string, { content: string }> {
  const sources: Record<string, { content: string }> = {};
  for (const file of readdirSync(directory)
    .filter((name) => name.endsWith(".sol"))
    .sort()) {
    sources[`contracts/${file}`] = { content: readFileSync(join(directory, file), "utf8") };
  }
  return sources;
}

/** Compiles the devnet's own helper contracts (price sources, Morpho oracle) with solc 0.8.19; cached. */
export function compileDevnetContracts(cacheDir: string = projectSolcCacheDir()): Promise<CompiledContracts> {
  return compileSolidity({
    compiler: "0.8.19",
    sources: devnetContractSources(),
    settings: { optimizer: { enabled: true, runs: 200 } },
    cacheDir,
  });
}
