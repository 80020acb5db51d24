import { type Abi, type Address, zeroAddress } from "viem";
import { FatalError } from "../../../core/errors.js";
import { deployContract } from "../../deploy/deployContract.js";
import { sendAndWait } from "../../solidity/deployArtifact.js";
import { linkBytecode } from "../../solidity/linkBytecode.js";
import type { CompiledContract } from "../../solidity/solcTypes.js";
import type { AaveDeployInput, AaveDeployment, DevnetAssetId, DevnetClients } from "../AaveDeployment.js";
import { aaveEModeDeployments } from "../aaveEModeDeployments.js";
import { configureAaveReserves } from "../configureAaveReserves.js";
import { type AaveV30ContractName, aaveV30Artifact } from "./aaveV30Artifacts.js";

const RAY = 10n ** 27n;

/**
 * Deploys an Aave V3.0 market from the artifacts in `@aave/core-v3` 1.19 (liquidation logic v3.0:
 * 50% close factor while HF > 0.95, no dust rule) with `UiPoolDataProviderV3` from
 * `@aave/periphery-v3` 3.0.1. Interest rates are zero (every slope 0), so balances never accrue and
 * predictions are exact. The oracle is in USD with unit 1e8; the deployer is ACL admin, pool admin
 * and treasury. `UiPoolDataProviderV3` reads the network token's USD price from the WETH source and
 * the reference currency's from the USDC source, so both assets must be listed. Expects automine.
 */
export async function deployAaveV30(input: AaveDeployInput): Promise<AaveDeployment> {
  const { clients } = input;
  const deployer = clients.wallet.account.address;
  const deployBlock = (await clients.public.getBlockNumber()) + 1n;
  const artifacts = loadArtifacts();
  const abi = (name: AaveV30ContractName): Abi => artifacts[name].abi;
  const deploy = (
    name: AaveV30ContractName,
    args: readonly unknown[] = [],
    bytecode = artifacts[name].bytecode,
  ) => deployContract(clients, { abi: abi(name), bytecode }, args, `Aave V3.0 ${name}`);
  const send = (
    address: Address,
    name: AaveV30ContractName,
    functionName: string,
    args: readonly unknown[],
  ) => sendAndWait(clients, { address, abi: abi(name), functionName, args });
  const read = (
    address: Address,
    name: AaveV30ContractName,
    functionName: string,
    args: readonly unknown[] = [],
  ) => clients.public.readContract({ address, abi: abi(name), functionName, args }) as Promise<Address>;

  const addressesProvider = await deploy("PoolAddressesProvider", ["devnet-aave-v3.0", deployer]);
  await send(addressesProvider, "PoolAddressesProvider", "setACLAdmin", [deployer]);
  const aclManager = await deploy("ACLManager", [addressesProvider]);
  await send(addressesProvider, "PoolAddressesProvider", "setACLManager", [aclManager]);
  await send(aclManager, "ACLManager", "addPoolAdmin", [deployer]);

  const libraries = await deployLibraries(clients, artifacts);
  const poolImpl = await deploy("Pool", [addressesProvider], link(artifacts.Pool, libraries));
  await send(poolImpl, "Pool", "initialize", [addressesProvider]);
  await send(addressesProvider, "PoolAddressesProvider", "setPoolImpl", [poolImpl]);
  const pool = await read(addressesProvider, "PoolAddressesProvider", "getPool");

  const configuratorImpl = await deploy("PoolConfigurator", [], link(artifacts.PoolConfigurator, libraries));
  await send(configuratorImpl, "PoolConfigurator", "initialize", [addressesProvider]);
  await send(addressesProvider, "PoolAddressesProvider", "setPoolConfiguratorImpl", [configuratorImpl]);
  const poolConfigurator = await read(addressesProvider, "PoolAddressesProvider", "getPoolConfigurator");

  const assetIds = Object.keys(input.reserves);
  const underlyings = assetIds.map((id) => tokenOf(input, id).address);
  const oracle = await deploy("AaveOracle", [
    addressesProvider,
    underlyings,
    assetIds.map((id) => sourceOf(input, id)),
    zeroAddress,
    zeroAddress,
    10n ** 8n,
  ]);
  await send(addressesProvider, "PoolAddressesProvider", "setPriceOracle", [oracle]);
  const poolDataProvider = await deploy("AaveProtocolDataProvider", [addressesProvider]);
  await send(addressesProvider, "PoolAddressesProvider", "setPoolDataProvider", [poolDataProvider]);
  const uiPoolDataProvider = await deploy("UiPoolDataProviderV3", [
    sourceOf(input, "WETH"),
    sourceOf(input, "USDC"),
  ]);

  const aTokenImpl = await deploy("AToken", [pool]);
  const stableDebtTokenImpl = await deploy("StableDebtToken", [pool]);
  const variableDebtTokenImpl = await deploy("VariableDebtToken", [pool]);
  // Zero rates: optimal usage 80%, every slope and base rate 0.
  const rateStrategy = await deploy("DefaultReserveInterestRateStrategy", [
    addressesProvider,
    (RAY * 8n) / 10n,
    0n,
    0n,
    0n,
    0n,
    0n,
    0n,
    0n,
    (RAY * 2n) / 10n,
  ]);

  await send(poolConfigurator, "PoolConfigurator", "initReserves", [
    assetIds.map((id) => ({
      aTokenImpl,
      stableDebtTokenImpl,
      variableDebtTokenImpl,
      underlyingAssetDecimals: tokenOf(input, id).decimals,
      interestRateStrategyAddress: rateStrategy,
      underlyingAsset: tokenOf(input, id).address,
      treasury: deployer,
      incentivesController: zeroAddress,
      aTokenName: `Aave V3.0 devnet ${id}`,
      aTokenSymbol: `a${id}`,
      variableDebtTokenName: `Aave V3.0 devnet variable debt ${id}`,
      variableDebtTokenSymbol: `variableDebt${id}`,
      stableDebtTokenName: `Aave V3.0 devnet stable debt ${id}`,
      stableDebtTokenSymbol: `stableDebt${id}`,
      params: "0x",
    })),
  ]);

  await configureAaveReserves(
    clients,
    { address: poolConfigurator, abi: abi("PoolConfigurator") },
    assetIds.flatMap((id) => {
      const params = input.reserves[id];
      return params === undefined ? [] : [{ asset: tokenOf(input, id).address, params }];
    }),
  );

  const { emode } = input;
  await send(poolConfigurator, "PoolConfigurator", "setEModeCategory", [
    emode.id,
    emode.ltvBps,
    emode.liquidationThresholdBps,
    emode.liquidationBonusBps,
    zeroAddress,
    emode.label,
  ]);
  for (const id of emode.assets) {
    await send(poolConfigurator, "PoolConfigurator", "setAssetEModeCategory", [
      tokenOf(input, id).address,
      emode.id,
    ]);
  }

  const reserves: AaveDeployment["reserves"] = {};
  for (const id of assetIds) {
    const token = tokenOf(input, id);
    const [aToken, , variableDebtToken] = (await clients.public.readContract({
      address: poolDataProvider,
      abi: abi("AaveProtocolDataProvider"),
      functionName: "getReserveTokensAddresses",
      args: [token.address],
    })) as readonly [Address, Address, Address];
    reserves[id] = { underlying: token.address, aToken, variableDebtToken, decimals: token.decimals };
  }

  return {
    version: "v3.0",
    liquidationLogic: "v3.0",
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

type Artifacts = Record<AaveV30ContractName, CompiledContract>;

/** The logic libraries, in an order where each one's own links come first. */
const LIBRARIES: readonly AaveV30ContractName[] = [
  "SupplyLogic",
  "BorrowLogic",
  "LiquidationLogic",
  "EModeLogic",
  "BridgeLogic",
  "PoolLogic",
  "FlashLoanLogic",
  "ConfiguratorLogic",
];

function loadArtifacts(): Artifacts {
  const names: AaveV30ContractName[] = [
    "PoolAddressesProvider",
    "ACLManager",
    "Pool",
    "PoolConfigurator",
    "DefaultReserveInterestRateStrategy",
    "AaveOracle",
    "AaveProtocolDataProvider",
    "AToken",
    "StableDebtToken",
    "VariableDebtToken",
    ...LIBRARIES,
    "UiPoolDataProviderV3",
  ];
  return Object.fromEntries(names.map((name) => [name, aaveV30Artifact(name)])) as Artifacts;
}

/** Deploys the logic libraries (FlashLoanLogic links BorrowLogic) and returns their addresses by name. */
async function deployLibraries(
  clients: DevnetClients,
  artifacts: Artifacts,
): Promise<Record<string, Address>> {
  const libraries: Record<string, Address> = {};
  for (const name of LIBRARIES) {
    const artifact = artifacts[name];
    libraries[name] = await deployContract(
      clients,
      { abi: artifact.abi, bytecode: link(artifact, libraries) },
      [],
      `Aave V3.0 ${name}`,
    );
  }
  return libraries;
}

/** Links an artifact's placeholders by library name (Hardhat keys them by source path). */
function link(artifact: CompiledContract, librariesByName: Record<string, Address>): `0x${string}` {
  const byQualifiedName: Record<string, Address> = {};
  for (const [file, names] of Object.entries(artifact.linkReferences)) {
    for (const name of Object.keys(names)) {
      const address = librariesByName[name];
      if (address !== undefined) byQualifiedName[`${file}:${name}`] = address;
    }
  }
  return linkBytecode(artifact.bytecode, artifact.linkReferences, byQualifiedName);
}

function tokenOf(input: AaveDeployInput, id: DevnetAssetId): { address: Address; decimals: number } {
  const token = input.tokens[id];
  if (token === undefined) throw new FatalError(`Aave V3.0: no token for reserve ${id}`);
  return token;
}

function sourceOf(input: AaveDeployInput, id: DevnetAssetId): Address {
  const source = input.priceSources[id];
  if (source === undefined) throw new FatalError(`Aave V3.0: no price source for ${id}`);
  return source;
}
