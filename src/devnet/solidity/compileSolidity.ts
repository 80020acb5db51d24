import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Abi, Hex } from "viem";
import { FatalError } from "../../core/errors.js";
import { collectSources, type SourceMap } from "./collectSources.js";
import { loadSolc } from "./loadSolc.js";
import type { CompiledContracts, LinkReferences, SolcSettings, SolcVersion } from "./solcTypes.js";

export interface CompileSolidityParameters {
  readonly compiler: SolcVersion;
  /** Entry source units (`"src/Morpho.sol"`); everything they import is pulled in through `resolveImport`. */
  readonly sources: SourceMap;
  /** Returns the content of an imported source unit, or undefined if unknown. */
  readonly resolveImport?: (path: string) => string | undefined;
  readonly settings: SolcSettings;
  /** Where `<sha256>.json` artifacts are kept (the project uses `.cache/solc`). */
  readonly cacheDir: string;
}

// Bumped when the stored shape changes, so old cache files are never misread.
const CACHE_FORMAT = 1;

/** The cache key: compiler version, settings and the content of every source the compiler reads. */
export function solcCacheKey(compiler: SolcVersion, settings: SolcSettings, sources: SourceMap): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify({ format: CACHE_FORMAT, compiler, settings: normalizedSettings(settings) }));
  for (const name of Object.keys(sources).sort()) {
    const content = sources[name]?.content ?? "";
    hash.update(`\0${name}\0${createHash("sha256").update(content).digest("hex")}`);
  }
  return hash.digest("hex");
}

function normalizedSettings(settings: SolcSettings): Record<string, unknown> {
  return {
    optimizer: { enabled: settings.optimizer.enabled, runs: settings.optimizer.runs ?? 200 },
    viaIR: settings.viaIR ?? false,
    evmVersion: settings.evmVersion ?? null,
  };
}

/**
 * Compiles Solidity with solc-js, or reads the result from `cacheDir` when the same compiler,
 * settings and sources were compiled before. Returns every contract as `"file:Contract"`.
 * Compiling blocks the event loop (about 19 s for Aave V3.6, 3 s for Morpho Blue).
 */
export async function compileSolidity(parameters: CompileSolidityParameters): Promise<CompiledContracts> {
  const sources = collectSources(parameters.sources, parameters.resolveImport);
  const key = solcCacheKey(parameters.compiler, parameters.settings, sources);
  const file = join(parameters.cacheDir, `${key}.json`);
  const cached = readCache(file);
  if (cached !== undefined) return cached;
  const contracts = runSolc(parameters.compiler, parameters.settings, sources);
  mkdirSync(parameters.cacheDir, { recursive: true });
  // Written under a temporary name then renamed, so a concurrent reader never sees half a file.
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(contracts));
  renameSync(temporary, file);
  return contracts;
}

function readCache(file: string): CompiledContracts | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as CompiledContracts;
  } catch {
    return undefined;
  }
}

interface SolcOutput {
  errors?: Array<{ severity: string; formattedMessage?: string; message: string }>;
  contracts?: Record<
    string,
    Record<string, { abi: Abi; evm: { bytecode: { object: string; linkReferences: LinkReferences } } }>
  >;
}

function runSolc(compiler: SolcVersion, settings: SolcSettings, sources: SourceMap): CompiledContracts {
  const solc = loadSolc(compiler);
  const input = {
    language: "Solidity",
    sources,
    settings: {
      optimizer: { enabled: settings.optimizer.enabled, runs: settings.optimizer.runs ?? 200 },
      viaIR: settings.viaIR ?? false,
      ...(settings.evmVersion === undefined ? {} : { evmVersion: settings.evmVersion }),
      outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.bytecode.linkReferences"] } },
    },
  };
  // Every source is already in the input; the callback only reports a miss clearly.
  const output = JSON.parse(
    solc.compile(JSON.stringify(input), { import: (path) => ({ error: `not found: ${path}` }) }),
  ) as SolcOutput;
  const errors = (output.errors ?? []).filter((entry) => entry.severity === "error");
  if (errors.length > 0) {
    const first = errors.slice(0, 3).map((entry) => entry.formattedMessage ?? entry.message);
    throw new FatalError(`solc ${compiler} failed with ${errors.length} error(s): ${first.join("\n")}`);
  }
  const contracts: CompiledContracts = {};
  for (const [file, byName] of Object.entries(output.contracts ?? {})) {
    for (const [name, contract] of Object.entries(byName)) {
      contracts[`${file}:${name}`] = {
        abi: contract.abi,
        bytecode: `0x${contract.evm.bytecode.object}` as Hex,
        linkReferences: contract.evm.bytecode.linkReferences,
      };
    }
  }
  return contracts;
}
