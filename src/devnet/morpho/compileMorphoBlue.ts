import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { FatalError } from "../../core/errors.js";
import { compileSolidity } from "../solidity/compileSolidity.js";
import { projectSolcCacheDir } from "../solidity/projectCacheDir.js";
import { remappedFileResolver } from "../solidity/remappedFileResolver.js";
import type { CompiledContract, SolcSettings } from "../solidity/solcTypes.js";

const require = createRequire(import.meta.url);

export const MORPHO_ENTRY = "src/Morpho.sol";

/** Without viaIR: ~3 s to compile and 22.5 KB of runtime code, under the 24 KB limit. */
export const MORPHO_SOLC_SETTINGS: SolcSettings = { optimizer: { enabled: true, runs: 999_999 } };

/** The folder of the installed `@morpho-org/morpho-blue` package. */
export function morphoBluePackageDir(): string {
  return dirname(require.resolve("@morpho-org/morpho-blue/package.json"));
}

/** Morpho.sol and a resolver for its imports, as the package ships them. */
export function morphoBlueSources(): {
  sources: Record<string, { content: string }>;
  resolveImport: (path: string) => string | undefined;
} {
  const packageDir = morphoBluePackageDir();
  return {
    sources: { [MORPHO_ENTRY]: { content: readFileSync(join(packageDir, MORPHO_ENTRY), "utf8") } },
    resolveImport: remappedFileResolver([{ prefix: "src/", directory: join(packageDir, "src") }]),
  };
}

/** Compiles Morpho Blue from the package's Solidity sources with solc 0.8.19 (cached under `.cache/solc`). */
export async function compileMorphoBlue(cacheDir: string = projectSolcCacheDir()): Promise<CompiledContract> {
  const { sources, resolveImport } = morphoBlueSources();
  const contracts = await compileSolidity({
    compiler: "0.8.19",
    sources,
    resolveImport,
    settings: MORPHO_SOLC_SETTINGS,
    cacheDir,
  });
  const morpho = contracts[`${MORPHO_ENTRY}:Morpho`];
  if (morpho === undefined) throw new FatalError("devnet: Morpho Blue sources produced no Morpho contract");
  return morpho;
}
