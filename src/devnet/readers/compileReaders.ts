import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Hex } from "viem";
import { devnetContractsDir } from "../contracts/compileDevnetContracts.js";
import { compileSolidity } from "../solidity/compileSolidity.js";
import { projectSolcCacheDir } from "../solidity/projectCacheDir.js";

const SOURCE = "contracts/readers/AavePositionsReader.sol";

/**
 * Creation bytecode of the indexers' read-only contracts (`contracts/readers/`), compiled with
 * solc 0.8.19, optimizer on (200 runs); cached. `abis/aavePositionsReader.ts` carries the result
 * so that the indexer needs no compiler; `npm run build:readers` writes it again.
 */
export async function compileAavePositionsReader(cacheDir: string = projectSolcCacheDir()): Promise<Hex> {
  const content = readFileSync(join(devnetContractsDir(), "readers", "AavePositionsReader.sol"), "utf8");
  const contracts = await compileSolidity({
    compiler: "0.8.19",
    sources: { [SOURCE]: { content } },
    settings: { optimizer: { enabled: true, runs: 200 } },
    cacheDir,
  });
  const compiled = contracts[`${SOURCE}:AavePositionsReader`];
  if (compiled === undefined) throw new Error(`${SOURCE}: AavePositionsReader not in the compiler's output`);
  return compiled.bytecode;
}
