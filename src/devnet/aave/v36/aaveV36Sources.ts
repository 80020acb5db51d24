import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { SourceMap } from "../../solidity/collectSources.js";
import { compileSolidity } from "../../solidity/compileSolidity.js";
import { projectSolcCacheDir } from "../../solidity/projectCacheDir.js";
import { remappedFileResolver } from "../../solidity/remappedFileResolver.js";
import type { CompiledContracts, SolcSettings } from "../../solidity/solcTypes.js";

const require = createRequire(import.meta.url);
const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));

/** The contracts a V3.6 market needs, as source unit names inside `@aave-dao/aave-v3-origin/src/`. */
export const AAVE_V36_ENTRY_SOURCES = [
  "contracts/protocol/configuration/PoolAddressesProvider.sol",
  "contracts/protocol/configuration/ACLManager.sol",
  "contracts/instances/PoolInstance.sol",
  "contracts/instances/PoolConfiguratorInstance.sol",
  "contracts/instances/ATokenInstance.sol",
  "contracts/instances/VariableDebtTokenInstance.sol",
  "contracts/misc/AaveOracle.sol",
  "contracts/misc/DefaultReserveInterestRateStrategyV2.sol",
  "contracts/helpers/AaveProtocolDataProvider.sol",
  "contracts/helpers/UiPoolDataProviderV3.sol",
  "contracts/mocks/oracle/CLAggregators/MockAggregator.sol",
  "contracts/mocks/testnet-helpers/TestnetERC20.sol",
] as const;

/** What aave-v3-origin's own build uses: 0.8.27, optimizer 200 runs, Cancun. */
export const AAVE_V36_SOLC_SETTINGS: SolcSettings = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: "cancun",
};

/**
 * Import resolution for aave-v3-origin: its sources import each other relatively and reach
 * OpenZeppelin and BGD's solidity-utils through Foundry remappings, which map here to the npm
 * packages installed alongside it.
 */
export function aaveV36ImportResolver(): (path: string) => string | undefined {
  const origin = join(packageDir("@aave-dao/aave-v3-origin"), "src");
  const utilsRequire = createRequire(join(packageDir("@aave-dao/aave-v3-origin"), "package.json"));
  const utils = dirname(utilsRequire.resolve("@bgd-labs/solidity-utils/package.json"));
  const ozRequire = createRequire(join(utils, "package.json"));
  const oz = dirname(ozRequire.resolve("@openzeppelin/contracts/package.json"));
  const ozUpgradeable = dirname(ozRequire.resolve("@openzeppelin/contracts-upgradeable/package.json"));
  return remappedFileResolver([
    { prefix: "contracts/", directory: join(origin, "contracts") },
    { prefix: "openzeppelin-contracts-upgradeable/contracts/", directory: ozUpgradeable },
    { prefix: "openzeppelin-contracts/contracts/", directory: oz },
    { prefix: "solidity-utils/contracts/", directory: join(utils, "src", "contracts") },
  ]);
}

/** Compiles (or reads from the artifact cache) every contract of the V3.6 market; about 19 s uncached. */
export async function compileAaveV36(cacheDir: string = projectSolcCacheDir()): Promise<CompiledContracts> {
  const resolveImport = aaveV36ImportResolver();
  const sources: SourceMap = {};
  for (const name of AAVE_V36_ENTRY_SOURCES) sources[name] = { content: resolveImport(name) ?? "" };
  return compileSolidity({
    compiler: "0.8.27",
    sources,
    resolveImport,
    settings: AAVE_V36_SOLC_SETTINGS,
    cacheDir,
  });
}
