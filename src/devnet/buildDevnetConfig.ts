import type { Address } from "viem";
import type { DevnetDeployment } from "./DevnetDeployment.js";
import type { DevnetAssetSpec } from "./devnetAssets.js";

/** JSON-RPC requests per HTTP batch on the devnet (a cold index's position reads are about 100 calls). */
const DEVNET_RPC_BATCH = 100;

/** The deployment file: the indexer-config shape (`chains`, `assets`, `markets`, `devnet`), as JSON. */
export interface DevnetConfigFile {
  chains: Array<{ id: number; name: string; rpc: string[]; confirmations: number; rpcBatchSize: number }>;
  assets: Array<Record<string, unknown>>;
  markets: Array<Record<string, unknown>>;
  devnet: {
    profile: string;
    seed: number;
    positions: number;
    deployer: Address;
    contracts: Record<string, Address>;
    accounts: Record<string, Address>;
    morphoMarkets: Array<Record<string, unknown>>;
  };
}

export interface BuildDevnetConfigInput {
  rpcUrl: string;
  chainId: number;
  seed: number;
  positions: number;
  assets: readonly DevnetAssetSpec[];
  quote: string;
  deployment: DevnetDeployment;
  accounts: { deployer: Address } & Record<string, Address>;
}

/**
 * Builds the deployment file that `snapshot --config FILE` reads as it is: the devnet chain, every
 * asset with its token and pool (the mainnet profile names each asset's Uniswap V3 pool where it
 * has one and gives fed assets their feed's `oracleDeviation`; in the spot profile followers carry
 * `follows` with beta 1; the quote asset is `infinite`), both Aave markets and the Morpho instance with their deployment blocks, and under
 * `devnet` every other address.
 */
export function buildDevnetConfig(input: BuildDevnetConfigInput): DevnetConfigFile {
  const { deployment, chainId } = input;
  const chainKey = String(chainId);
  const v3Pools = Object.values(deployment.uniswapV3?.pools ?? {});
  // The mainnet profile judges and trades each asset in its own pool; spot keeps every asset's V2 pair.
  const v3PoolOf = (asset: string) =>
    deployment.profile === "mainnet" ? v3Pools.find((pool) => pool.asset === asset) : undefined;
  const assets = input.assets.map((asset) => {
    const token = deployment.tokens[asset.id];
    const pair = deployment.uniswap.pairs[asset.id];
    const pool = v3PoolOf(asset.id);
    const feed = deployment.oracles?.feeds[asset.id];
    const liquidity =
      pool !== undefined
        ? { kind: "uniswap-v3", chain: chainId, pool: pool.address, quote: pool.quote }
        : asset.id === input.quote || pair === undefined
          ? { kind: "infinite" }
          : { kind: "uniswap-v2", chain: chainId, pair, quote: input.quote };
    return {
      id: asset.id,
      symbol: asset.id,
      tokens: token === undefined ? {} : { [chainKey]: token.address },
      ...(asset.follows === undefined || deployment.profile === "mainnet"
        ? {}
        : { follows: { asset: asset.follows.asset, beta: 1 } }),
      ...(feed === undefined ? {} : { oracleDeviation: feed.deviationThresholdBps / 10_000 }),
      liquidity,
    };
  });
  const markets: Array<Record<string, unknown>> = [];
  for (const [name, aave] of Object.entries(deployment.aave)) {
    if (aave === undefined) continue;
    markets.push({
      protocol: "aave-v3",
      chain: chainId,
      name,
      pool: aave.pool,
      addressesProvider: aave.addressesProvider,
      uiPoolDataProvider: aave.uiPoolDataProvider,
      poolDataProvider: aave.poolDataProvider,
      liquidationLogic: aave.liquidationLogic,
      fromBlock: Number(aave.deployBlock),
    });
  }
  if (deployment.morpho !== undefined) {
    markets.push({
      protocol: "morpho-blue",
      chain: chainId,
      name: "morpho-blue",
      morpho: deployment.morpho.morpho,
      marketIds: deployment.morpho.markets.map((market) => market.id),
      fromBlock: Number(deployment.morpho.deployBlock),
    });
  }
  const contracts: Record<string, Address> = {
    multicall3: deployment.multicall3,
    uniswapV2Factory: deployment.uniswap.factory,
    uniswapV2Router: deployment.uniswap.router,
  };
  if (deployment.uniswapV3 !== undefined) {
    const v3 = deployment.uniswapV3;
    contracts.uniswapV3Factory = v3.factory;
    contracts.uniswapV3SwapRouter = v3.swapRouter;
    contracts.uniswapV3PositionManager = v3.positionManager;
    contracts.uniswapV3QuoterV2 = v3.quoterV2;
    for (const [key, pool] of Object.entries(v3.pools)) contracts[`uniswapV3Pool.${key}`] = pool.address;
  }
  if (deployment.oracles !== undefined) {
    const o = deployment.oracles;
    contracts.feedKeeper = o.keeper;
    for (const [asset, feed] of Object.entries(o.feeds)) contracts[`feed.${asset}`] = feed.address;
    contracts.lstExchangeRate = o.lstRate;
    contracts.exchangeRateAdapter = o.exchangeRateAdapter;
    contracts.fixedQuotePriceSource = o.fixedQuote;
  }
  for (const [asset, source] of Object.entries(deployment.priceSources))
    contracts[`priceSource.${asset}`] = source;
  for (const [name, aave] of Object.entries(deployment.aave)) {
    if (aave === undefined) continue;
    contracts[`${name}.aclManager`] = aave.aclManager;
    contracts[`${name}.poolConfigurator`] = aave.poolConfigurator;
    contracts[`${name}.oracle`] = aave.oracle;
    for (const [asset, reserve] of Object.entries(aave.reserves)) {
      contracts[`${name}.${asset}.aToken`] = reserve.aToken;
      contracts[`${name}.${asset}.variableDebtToken`] = reserve.variableDebtToken;
    }
  }
  for (const market of deployment.morpho?.markets ?? []) {
    contracts[`morpho.oracle.${market.collateral}/${market.loan}@${market.lltv}`] = market.params.oracle;
  }
  return {
    // anvil answers JSON-RPC batches: a block's parallel reads go out as one HTTP request.
    chains: [
      { id: chainId, name: "devnet", rpc: [input.rpcUrl], confirmations: 0, rpcBatchSize: DEVNET_RPC_BATCH },
    ],
    assets,
    markets,
    devnet: {
      profile: deployment.profile,
      seed: input.seed,
      positions: input.positions,
      deployer: input.accounts.deployer,
      contracts,
      accounts: input.accounts,
      morphoMarkets: (deployment.morpho?.markets ?? []).map((market) => ({
        id: market.id,
        collateral: market.collateral,
        loan: market.loan,
        lltv: market.lltv,
        oracle: market.params.oracle,
      })),
    },
  };
}
