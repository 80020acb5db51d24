import type { Address, LocalAccount } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { chainlinkAggregatorAbi } from "../../abis/chainlinkAggregator.js";
import type { AaveEModeParams, AaveReserveParams, DevnetAssetId } from "./aave/AaveDeployment.js";
import {
  DEFAULT_AAVE_EMODE,
  DEFAULT_AAVE_RESERVES,
  MAINNET_AAVE_EMODE,
  MAINNET_BORROW_ONLY,
  withBorrowOnly,
} from "./aave/defaultAaveParams.js";
import { deployAaveV30 } from "./aave/v30/deployAaveV30.js";
import { deployAaveV36 } from "./aave/v36/deployAaveV36.js";
import { type AnvilInstance, startAnvil } from "./anvil/startAnvil.js";
import { buildDevnetConfig, type DevnetConfigFile } from "./buildDevnetConfig.js";
import { createDevnetClients, type DevnetFullClients } from "./chain/createDevnetClients.js";
import { DEVNET_CHAIN_ID, MULTICALL3_ADDRESS } from "./chain/devnetChain.js";
import { installMulticall3 } from "./chain/installMulticall3.js";
import { compileDevnetContracts } from "./contracts/compileDevnetContracts.js";
import { DEVNET_SHOCK_TRADER } from "./crash.js";
import type { DevnetDeployment } from "./DevnetDeployment.js";
import { DEFAULT_DEVNET_ASSETS, type DevnetAssetSpec, QUOTE_ASSET } from "./devnetAssets.js";
import { DEFAULT_DEVNET_PROFILE, type DevnetProfile, MAINNET_V2_ASSETS } from "./devnetProfile.js";
import { DEVNET_LIQUIDATOR } from "./liquidator/runLiquidator.js";
import { compileMorphoBlue } from "./morpho/compileMorphoBlue.js";
import {
  DEFAULT_MORPHO_MARKETS,
  deployMorphoBlue,
  type MorphoMarketSpec,
} from "./morpho/deployMorphoBlue.js";
import {
  deployComposedMorphoOracle,
  deployMainnetOracles,
  MAINNET_EXCHANGE_RATE,
} from "./oracles/deployMainnetOracles.js";
import { deployPriceSources } from "./oracles/deployPriceSources.js";
import { mainnetWhaleSizes, planMainnetPositions } from "./seed/planMainnetPositions.js";
import { planPositions } from "./seed/planPositions.js";
import type { DevnetAaveMarketName, PositionPlan } from "./seed/positionPlan.js";
import { type SeedResult, seedLender, seedPositions } from "./seed/seedPositions.js";
import { projectSolcCacheDir } from "./solidity/projectCacheDir.js";
import { deployTestTokens } from "./tokens/deployTestTokens.js";
import { deployUniswapV2 } from "./uniswap/deployUniswapV2.js";
import { deployUniswapV3, type UniswapV3PoolSpec } from "./uniswap/deployUniswapV3.js";
import { MAINNET_UNISWAP_V3_POOLS } from "./uniswap/mainnetUniswapV3Pools.js";

/** anvil's default mnemonic: its accounts are funded and unlocked. */
export const DEVNET_MNEMONIC = "test test test test test test test test test test test junk";

/** Dev account `index` of the devnet (0 deploys; the others are free for tests). */
export function devnetAccount(index: number): LocalAccount {
  return mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex: index });
}

export interface StartDevnetOptions {
  /** Seed of the position generator (default 1). */
  seed?: number;
  /** Positions to open across both Aave markets and Morpho (default 200). */
  positions?: number;
  /** Loopback port for anvil; 0 or absent picks a free one. */
  port?: number;
  assets?: readonly DevnetAssetSpec[];
  aaveReserves?: Record<DevnetAssetId, AaveReserveParams>;
  aaveEmode?: AaveEModeParams;
  morphoMarkets?: readonly MorphoMarketSpec[];
  /** Share of Aave positions drawn as v3.3 close-rule edge cases (see `PlanPositionsInput.edgeCases`; default 0). */
  edgeCases?: number;
  /** Which Aave markets to deploy (default both). */
  aaveMarkets?: readonly DevnetAaveMarketName[];
  /** The market's shape (default `mainnet`; see `DevnetProfile`). */
  profile?: DevnetProfile;
  /** Uniswap V3 pools with their liquidity ranges (default: the mainnet profile's, none in `spot`). */
  uniswapV3Pools?: readonly UniswapV3PoolSpec[];
  /** Aave reserves made borrow-only (threshold 0) per market (default: the mainnet profile's, none in `spot`). */
  aaveBorrowOnly?: Partial<Record<DevnetAaveMarketName, readonly DevnetAssetId[]>>;
  /** Compiled-artifact cache (default: the project's `.cache/solc`); an empty folder compiles everything. */
  solcCacheDir?: string;
  /** Progress lines (deploy and seeding times). */
  log?: (line: string) => void;
}

export interface Devnet {
  rpcUrl: string;
  chainId: number;
  /** Clients whose wallet is the deployer. */
  clients: DevnetFullClients;
  deployment: DevnetDeployment;
  /** Deployer (dev account 0), the impersonated liquidator, shock trader and lender, and every borrower. */
  accounts: {
    deployer: Address;
    liquidator: Address;
    shockTrader: Address;
    lender: Address;
    borrowers: Address[];
  };
  /** What the seeder opened, in order (the intended amounts and health factors). */
  positions: PositionPlan[];
  seeding: SeedResult;
  /** The deployment file (`cascade-monitor devnet --out`), accepted by `snapshot --config`. */
  config: DevnetConfigFile;
  /** Stops anvil; idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts anvil and deploys the whole devnet on it: test tokens, then by profile either Uniswap V2
 * pairs with price sources that follow them (`spot`) or Uniswap V3 pools, one V2 pair and
 * mainnet-shaped oracles (`mainnet`), Aave V3.0 and V3.6 markets, Morpho Blue with its markets;
 * then seeds `positions` positions from `seed` (`planMainnetPositions` on the mainnet profile,
 * `planPositions` on spot). anvil is stopped if anything fails.
 */
export async function startDevnet(options: StartDevnetOptions = {}): Promise<Devnet> {
  const log = options.log ?? (() => {});
  const seed = options.seed ?? 1;
  const positionCount = options.positions ?? 200;
  const assets = options.assets ?? DEFAULT_DEVNET_ASSETS;
  const aaveReserves = options.aaveReserves ?? DEFAULT_AAVE_RESERVES;
  const profile = options.profile ?? DEFAULT_DEVNET_PROFILE;
  const aaveBorrowOnly = options.aaveBorrowOnly ?? (profile === "mainnet" ? MAINNET_BORROW_ONLY : {});
  const aaveEmode = options.aaveEmode ?? (profile === "mainnet" ? MAINNET_AAVE_EMODE : DEFAULT_AAVE_EMODE);
  const morphoMarkets = options.morphoMarkets ?? DEFAULT_MORPHO_MARKETS;
  const aaveMarkets = options.aaveMarkets ?? ["aave-v3.0", "aave-v3.6"];
  const started = performance.now();
  const anvil: AnvilInstance = await startAnvil(options.port === undefined ? {} : { port: options.port });
  try {
    const deployer = devnetAccount(0);
    const clients = createDevnetClients(anvil.rpcUrl, deployer);
    await installMulticall3(clients.public, clients.test);
    const cacheDir = options.solcCacheDir ?? projectSolcCacheDir();
    const contracts = await compileDevnetContracts(cacheDir);
    const morphoArtifact = morphoMarkets.length > 0 ? await compileMorphoBlue(cacheDir) : undefined;
    const tokens = await deployTestTokens(clients, assets);
    const mainnet = profile === "mainnet";
    const pairAssets = mainnet ? assets.filter((asset) => MAINNET_V2_ASSETS.includes(asset.id)) : assets;
    const uniswap = await deployUniswapV2(clients, tokens, pairAssets, QUOTE_ASSET);
    const v3Pools = options.uniswapV3Pools ?? (mainnet ? MAINNET_UNISWAP_V3_POOLS : []);
    const uniswapV3 =
      v3Pools.length === 0
        ? undefined
        : await deployUniswapV3(
            clients,
            tokens,
            Object.fromEntries(assets.map((asset) => [asset.id, asset.priceUsd])),
            v3Pools,
          );
    const oracles = mainnet ? await deployMainnetOracles(clients, contracts, assets, QUOTE_ASSET) : undefined;
    // Seeding and the deployment file read one source per asset: the V3.6 market's in the mainnet profile.
    const priceSources =
      oracles === undefined
        ? await deployPriceSources(clients, contracts, tokens, assets, uniswap.pairs, QUOTE_ASSET)
        : oracles.aaveSources["aave-v3.6"];
    const aaveInput = (market: DevnetAaveMarketName) => ({
      clients,
      tokens,
      priceSources: oracles === undefined ? priceSources : oracles.aaveSources[market],
      reserves: withBorrowOnly(aaveReserves, aaveBorrowOnly[market] ?? []),
      emode: aaveEmode,
    });
    const aave: DevnetDeployment["aave"] = {};
    if (aaveMarkets.includes("aave-v3.0")) aave["aave-v3.0"] = await deployAaveV30(aaveInput("aave-v3.0"));
    if (aaveMarkets.includes("aave-v3.6"))
      aave["aave-v3.6"] = await deployAaveV36(aaveInput("aave-v3.6"), { cacheDir });
    const morpho =
      morphoArtifact === undefined
        ? undefined
        : await deployMorphoBlue(
            clients,
            morphoArtifact,
            contracts,
            tokens,
            priceSources,
            morphoMarkets,
            oracles === undefined
              ? undefined
              : (spec) =>
                  deployComposedMorphoOracle(
                    clients,
                    contracts,
                    tokens,
                    oracles,
                    MAINNET_EXCHANGE_RATE,
                    spec,
                  ),
          );
    const deployment: DevnetDeployment = {
      tokens,
      profile,
      uniswap,
      ...(uniswapV3 === undefined ? {} : { uniswapV3 }),
      ...(oracles === undefined ? {} : { oracles }),
      priceSources,
      aave,
      ...(morpho === undefined ? {} : { morpho }),
      multicall3: MULTICALL3_ADDRESS,
    };
    log(`devnet: deployed in ${Math.round(performance.now() - started)} ms`);

    const pricesUsd = await readPricesUsd(clients, priceSources);
    const planInput = {
      seed,
      positions: positionCount,
      ...(options.edgeCases === undefined ? {} : { edgeCases: options.edgeCases }),
      pricesUsd,
      decimals: Object.fromEntries(assets.map((asset) => [asset.id, asset.decimals])),
      aaveMarkets,
      aaveReserves,
      aaveBorrowOnly,
      aaveEmode,
      morphoMarkets: morpho?.markets ?? [],
    };
    // The book follows the profile: mainnet's shape (loops, small positions, whales sized by the pools) or version 1's.
    const positions = mainnet
      ? planMainnetPositions({ ...planInput, whaleCollateralUsd: mainnetWhaleSizes(v3Pools) })
      : planPositions(planInput);
    const seeding = await seedPositions(anvil.rpcUrl, clients, positions, {
      tokens,
      aave,
      ...(morpho === undefined ? {} : { morpho: { address: morpho.morpho, markets: morpho.markets } }),
    });
    log(
      `devnet: seeded ${seeding.positions} positions (${seeding.transactions} transactions) in ${Math.round(seeding.durationMs)} ms`,
    );
    const accounts = {
      deployer: deployer.address,
      liquidator: DEVNET_LIQUIDATOR,
      shockTrader: DEVNET_SHOCK_TRADER,
      lender: seedLender(),
    };
    const config = buildDevnetConfig({
      rpcUrl: anvil.rpcUrl,
      chainId: DEVNET_CHAIN_ID,
      seed,
      positions: positionCount,
      assets,
      quote: QUOTE_ASSET,
      deployment,
      accounts,
    });
    return {
      rpcUrl: anvil.rpcUrl,
      chainId: DEVNET_CHAIN_ID,
      clients,
      deployment,
      accounts: { ...accounts, borrowers: positions.map((plan) => plan.account) },
      positions,
      seeding,
      config,
      stop: () => anvil.stop(),
    };
  } catch (error) {
    await anvil.stop();
    throw error;
  }
}

/** Each price source's answer as a float USD price (8 decimals on chain). */
export async function readPricesUsd(
  clients: DevnetFullClients,
  priceSources: Record<DevnetAssetId, Address>,
): Promise<Record<DevnetAssetId, number>> {
  const entries = Object.entries(priceSources);
  const answers = await clients.public.multicall({
    contracts: entries.map(([, address]) => ({
      address,
      abi: chainlinkAggregatorAbi,
      functionName: "latestAnswer",
    })),
    allowFailure: false,
  });
  return Object.fromEntries(entries.map(([asset], index) => [asset, Number(answers[index] ?? 0n) / 1e8]));
}
