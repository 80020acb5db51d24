import {
  type Address,
  encodeAbiParameters,
  getAddress,
  keccak256,
  parseAbiParameters,
  stringToHex,
  zeroAddress,
} from "viem";
import { UserInputError } from "../../../core/errors.js";
import { artifactOf, deployArtifact, sendAndWait } from "../../solidity/deployArtifact.js";
import type { CompiledContracts } from "../../solidity/solcTypes.js";
import type { AaveDeployInput, AaveDeployment, AaveReserveDeployment } from "../AaveDeployment.js";
import { aaveEModeDeployments } from "../aaveEModeDeployments.js";
import { configureAaveReserves } from "../configureAaveReserves.js";
import { compileAaveV36 } from "./aaveV36Sources.js";

const C = "contracts/";
/** The V3.6 artifacts the devnet deploys, by role ("file:Contract"). */
export const AAVE_V36_ARTIFACTS = {
  addressesProvider: `${C}protocol/configuration/PoolAddressesProvider.sol:PoolAddressesProvider`,
  aclManager: `${C}protocol/configuration/ACLManager.sol:ACLManager`,
  pool: `${C}instances/PoolInstance.sol:PoolInstance`,
  configurator: `${C}instances/PoolConfiguratorInstance.sol:PoolConfiguratorInstance`,
  aToken: `${C}instances/ATokenInstance.sol:ATokenInstance`,
  variableDebtToken: `${C}instances/VariableDebtTokenInstance.sol:VariableDebtTokenInstance`,
  oracle: `${C}misc/AaveOracle.sol:AaveOracle`,
  rateStrategy: `${C}misc/DefaultReserveInterestRateStrategyV2.sol:DefaultReserveInterestRateStrategyV2`,
  dataProvider: `${C}helpers/AaveProtocolDataProvider.sol:AaveProtocolDataProvider`,
  uiPoolDataProvider: `${C}helpers/UiPoolDataProviderV3.sol:UiPoolDataProviderV3`,
  aggregator: `${C}mocks/oracle/CLAggregators/MockAggregator.sol:MockAggregator`,
} as const;

const LOGIC = `${C}protocol/libraries/logic/`;
/** External libraries the V3.6 pool links, in an order where each one's own links come first. */
const POOL_LIBRARIES = [
  "BorrowLogic",
  "LiquidationLogic",
  "PoolLogic",
  "SupplyLogic",
  "FlashLoanLogic",
] as const;

/** The treasury that receives liquidation protocol fees (as aTokens): a fixed address nobody holds a key to. */
export const AAVE_V36_TREASURY: Address = getAddress(
  `0x${keccak256(stringToHex("cascade-monitor devnet aave v3.6 treasury")).slice(-40)}`,
);

/** Zero interest: indexes stay exactly 1 ray, so on-chain amounts match the model's predictions exactly. */
export const ZERO_RATE_DATA = encodeAbiParameters(parseAbiParameters("(uint16, uint32, uint32, uint32)"), [
  [8000, 0, 0, 0],
]);

export interface DeployAaveV36Options {
  /** Compiled V3.6 contracts; compiled (or read from the artifact cache) when absent. */
  contracts?: CompiledContracts;
  /** Artifact cache directory (default: the project's `.cache/solc`). */
  cacheDir?: string;
}

/**
 * Deploys an Aave V3.6 market compiled from `@aave-dao/aave-v3-origin`: addresses provider, ACL
 * manager, pool (with its linked logic libraries) and configurator behind their proxies, AaveOracle
 * (USD, unit 1e8), token implementations, V3.6's default rate strategy (zero rates), protocol data
 * provider and UiPoolDataProviderV3; then lists the reserves and configures one eMode category.
 * The wallet account becomes pool admin and owner.
 */
export async function deployAaveV36(
  input: AaveDeployInput,
  options: DeployAaveV36Options = {},
): Promise<AaveDeployment> {
  validateInput(input);
  const contracts = options.contracts ?? (await compileAaveV36(options.cacheDir));
  const art = (name: keyof typeof AAVE_V36_ARTIFACTS) => artifactOf(contracts, AAVE_V36_ARTIFACTS[name]);
  const { clients } = input;
  const deployer = clients.wallet.account.address;
  const deployBlock = (await clients.public.getBlockNumber()) + 1n;

  const addressesProvider = await deployArtifact(clients, art("addressesProvider"), [
    "cascade-devnet-v3.6",
    deployer,
  ]);
  const provider = { address: addressesProvider, abi: art("addressesProvider").abi };
  await sendAndWait(clients, { ...provider, functionName: "setACLAdmin", args: [deployer] });
  const aclManager = await deployArtifact(clients, art("aclManager"), [addressesProvider]);
  await sendAndWait(clients, { ...provider, functionName: "setACLManager", args: [aclManager] });
  await sendAndWait(clients, {
    address: aclManager,
    abi: art("aclManager").abi,
    functionName: "addPoolAdmin",
    args: [deployer],
  });

  const rateStrategy = await deployArtifact(clients, art("rateStrategy"), [addressesProvider]);
  const libraries: Record<string, Address> = {};
  for (const name of POOL_LIBRARIES) {
    const key = `${LOGIC}${name}.sol:${name}`;
    libraries[key] = await deployArtifact(clients, artifactOf(contracts, key), [], libraries);
  }
  const configuratorLogic = `${LOGIC}ConfiguratorLogic.sol:ConfiguratorLogic`;
  libraries[configuratorLogic] = await deployArtifact(clients, artifactOf(contracts, configuratorLogic));

  // V3.6 implementations lock their own initializer in the constructor; only the proxies get initialized.
  const poolImpl = await deployArtifact(clients, art("pool"), [addressesProvider, rateStrategy], libraries);
  await sendAndWait(clients, { ...provider, functionName: "setPoolImpl", args: [poolImpl] });
  const configuratorImpl = await deployArtifact(clients, art("configurator"), [], libraries);
  await sendAndWait(clients, {
    ...provider,
    functionName: "setPoolConfiguratorImpl",
    args: [configuratorImpl],
  });
  const pool = await readAddress(input, provider, "getPool");
  const poolConfigurator = await readAddress(input, provider, "getPoolConfigurator");

  const assetIds = Object.keys(input.reserves);
  const underlyings = assetIds.map((id) => input.tokens[id]!.address);
  const oracle = await deployArtifact(clients, art("oracle"), [
    addressesProvider,
    underlyings,
    assetIds.map((id) => input.priceSources[id]!),
    zeroAddress,
    zeroAddress,
    100_000_000n,
  ]);
  await sendAndWait(clients, { ...provider, functionName: "setPriceOracle", args: [oracle] });
  const poolDataProvider = await deployArtifact(clients, art("dataProvider"), [addressesProvider]);
  await sendAndWait(clients, { ...provider, functionName: "setPoolDataProvider", args: [poolDataProvider] });
  // The market's reference currency is USD itself: its USD price is a constant 1.00000000.
  const usdAggregator = await deployArtifact(clients, art("aggregator"), [100_000_000n]);
  const networkBaseTokenSource = input.priceSources.WETH ?? usdAggregator;
  const uiPoolDataProvider = await deployArtifact(clients, art("uiPoolDataProvider"), [
    networkBaseTokenSource,
    usdAggregator,
  ]);

  const aTokenImpl = await deployArtifact(clients, art("aToken"), [pool, zeroAddress, AAVE_V36_TREASURY]);
  const variableDebtImpl = await deployArtifact(clients, art("variableDebtToken"), [pool, zeroAddress]);
  const configurator = { address: poolConfigurator, abi: art("configurator").abi };
  await sendAndWait(clients, {
    ...configurator,
    functionName: "initReserves",
    args: [
      assetIds.map((id) => ({
        aTokenImpl,
        variableDebtTokenImpl: variableDebtImpl,
        underlyingAsset: input.tokens[id]!.address,
        aTokenName: `Aave Devnet ${id}`,
        aTokenSymbol: `a${id}`,
        variableDebtTokenName: `Aave Devnet Variable Debt ${id}`,
        variableDebtTokenSymbol: `variableDebt${id}`,
        params: "0x",
        interestRateData: ZERO_RATE_DATA,
      })),
    ],
  });

  await configureAaveReserves(
    clients,
    configurator,
    assetIds.map((id) => ({ asset: input.tokens[id]!.address, params: input.reserves[id]! })),
  );

  const { emode } = input;
  await sendAndWait(clients, {
    ...configurator,
    functionName: "setEModeCategory",
    args: [emode.id, emode.ltvBps, emode.liquidationThresholdBps, emode.liquidationBonusBps, emode.label],
  });
  for (const id of emode.assets) {
    const asset = input.tokens[id]!.address;
    const params = input.reserves[id]!;
    if (params.collateral) {
      await sendAndWait(clients, {
        ...configurator,
        functionName: "setAssetCollateralInEMode",
        args: [asset, emode.id, true],
      });
    }
    if (params.borrowable && (emode.borrowableAssets ?? emode.assets).includes(id)) {
      await sendAndWait(clients, {
        ...configurator,
        functionName: "setAssetBorrowableInEMode",
        args: [asset, emode.id, true],
      });
    }
  }

  const reserves: Record<string, AaveReserveDeployment> = {};
  const poolContract = { address: pool, abi: art("pool").abi };
  for (const id of assetIds) {
    const underlying = input.tokens[id]!.address;
    reserves[id] = {
      underlying,
      aToken: await readAddress(input, poolContract, "getReserveAToken", [underlying]),
      variableDebtToken: await readAddress(input, poolContract, "getReserveVariableDebtToken", [underlying]),
      decimals: input.tokens[id]!.decimals,
    };
  }
  return {
    version: "v3.6",
    liquidationLogic: "v3.3",
    addressesProvider,
    aclManager,
    pool,
    poolConfigurator,
    oracle,
    poolDataProvider,
    uiPoolDataProvider,
    reserves,
    emodes: aaveEModeDeployments(emode),
    deployBlock,
  };
}

async function readAddress(
  input: AaveDeployInput,
  contract: { address: Address; abi: CompiledContracts[string]["abi"] },
  functionName: string,
  args: readonly unknown[] = [],
): Promise<Address> {
  const result = await input.clients.public.readContract({ ...contract, functionName, args: [...args] });
  return result as Address;
}

function validateInput(input: AaveDeployInput): void {
  for (const id of Object.keys(input.reserves)) {
    if (input.tokens[id] === undefined)
      throw new UserInputError(`reserves.${id}: no token named ${id} in tokens`);
    if (input.priceSources[id] === undefined) {
      throw new UserInputError(`reserves.${id}: no price source named ${id} in priceSources`);
    }
  }
  for (const id of input.emode.assets) {
    if (input.reserves[id] === undefined) {
      throw new UserInputError(
        `emode.assets: ${id} is not a reserve (reserves are ${Object.keys(input.reserves).join(", ")})`,
      );
    }
  }
}
