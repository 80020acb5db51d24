import { type Address, getAddress, type Hex, type PublicClient } from "viem";
import { z } from "zod";
import { aaveV3AddressesProviderAbi, aaveV3OracleAbi } from "../../../abis/aaveV3Oracle.js";
import { aaveV3PoolAbi } from "../../../abis/aaveV3Pool.js";
import { erc20Abi } from "../../../abis/erc20.js";
import { morphoBlueAbi } from "../../../abis/morphoBlue.js";
import { uniswapV3PoolAbi } from "../../../abis/uniswapV3Pool.js";
import { parseConfig } from "../../config/loadConfig.js";
import { UserInputError } from "../../core/errors.js";
import {
  type CascadeTarget,
  devnetMarketId,
  type TargetAaveMarket,
  type TargetAsset,
  type TargetMainnet,
} from "./cascadeTarget.js";

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "an 0x-prefixed 20-byte address");

/** The parts of the devnet deployment file (`cascade-monitor devnet --out FILE`) the liquidator reads. */
const deploymentFileSchema = z.object({
  chains: z.array(z.object({ id: z.number().int(), rpc: z.array(z.string()).min(1) })).min(1),
  assets: z.array(
    z.object({
      id: z.string(),
      tokens: z.record(z.string(), address),
      follows: z.object({ asset: z.string(), beta: z.number().default(1) }).optional(),
      liquidity: z.object({
        kind: z.string(),
        pair: address.optional(),
        pool: address.optional(),
        quote: z.string().optional(),
      }),
    }),
  ),
  markets: z.array(
    z.object({
      protocol: z.string(),
      pool: address.optional(),
      poolDataProvider: address.optional(),
      liquidationLogic: z.enum(["v3.0", "v3.3"]).optional(),
      morpho: address.optional(),
      marketIds: z.array(z.string()).optional(),
      fromBlock: z.number().int().nonnegative().default(0),
    }),
  ),
  devnet: z.object({
    // A file without a profile was written before there were profiles: it describes the spot market.
    profile: z.enum(["spot", "mainnet"]).default("spot"),
    deployer: address.optional(),
    contracts: z.record(z.string(), address),
  }),
});

/**
 * Builds the liquidator's view of a running devnet from its deployment file, reading token
 * decimals and Morpho market parameters from the chain; on the mainnet profile also each Uniswap
 * V3 pool's fee and tick spacing, the deviation feeds (`feed.ASSET`), and each Aave market's
 * oracle with its source per asset (the Morpho markets' composed oracles are in their parameters).
 * `rpcUrl` overrides the file's RPC.
 * @throws UserInputError naming the first field of the file that is missing or malformed.
 */
export async function targetFromDeploymentFile(
  client: PublicClient,
  file: unknown,
  rpcUrl?: string,
): Promise<CascadeTarget> {
  const parsed = deploymentFileSchema.safeParse(file);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserInputError(`deployment file: ${issue.path.join(".")}: ${issue.message}`);
  }
  const config = parsed.data;
  const chain = config.chains[0]!;
  const chainKey = String(chain.id);
  const quote = config.assets.find((asset) => asset.liquidity.kind === "infinite");
  if (quote === undefined)
    throw new UserInputError("deployment file: assets: no asset with liquidity kind infinite (the quote)");
  const tokenOf = (id: string): Address => {
    const token = config.assets.find((asset) => asset.id === id)?.tokens[chainKey];
    if (token === undefined)
      throw new UserInputError(`deployment file: assets.${id}.tokens.${chainKey} is missing`);
    return getAddress(token);
  };
  const decimals = await client.multicall({
    allowFailure: false,
    contracts: config.assets.map((asset) => ({
      address: tokenOf(asset.id),
      abi: erc20Abi,
      functionName: "decimals" as const,
    })),
  });
  const assets: TargetAsset[] = config.assets.map((asset, k) => {
    const priceSource = config.devnet.contracts[`priceSource.${asset.id}`];
    if (priceSource === undefined) {
      throw new UserInputError(`deployment file: devnet.contracts."priceSource.${asset.id}" is missing`);
    }
    return {
      id: asset.id,
      token: tokenOf(asset.id),
      decimals: Number(decimals[k]),
      priceSource: getAddress(priceSource),
      ...(asset.liquidity.pair === undefined ? {} : { pair: getAddress(asset.liquidity.pair) }),
      ...(asset.follows === undefined ? {} : { leader: asset.follows.asset, beta: asset.follows.beta }),
    };
  });
  const assetByToken = new Map(assets.map((asset) => [asset.token.toLowerCase(), asset.id]));
  const aaveMarkets = config.markets
    .filter((market) => market.protocol === "aave-v3")
    .map((market, k) => {
      if (
        market.pool === undefined ||
        market.poolDataProvider === undefined ||
        market.liquidationLogic === undefined
      ) {
        throw new UserInputError(
          `deployment file: aave-v3 market ${k} needs pool, poolDataProvider and liquidationLogic`,
        );
      }
      return {
        marketId: devnetMarketId("aave-v3", chain.id, market.pool),
        pool: getAddress(market.pool),
        poolDataProvider: getAddress(market.poolDataProvider),
        liquidationLogic: market.liquidationLogic,
        fromBlock: BigInt(market.fromBlock),
      };
    });
  const morphoEntry = config.markets.find(
    (market) => market.protocol === "morpho-blue" && market.morpho !== undefined,
  );
  let morpho: CascadeTarget["morpho"];
  if (morphoEntry?.morpho !== undefined) {
    const morphoAddress = getAddress(morphoEntry.morpho);
    const ids = (morphoEntry.marketIds ?? []) as Hex[];
    const params = await client.multicall({
      allowFailure: false,
      contracts: ids.map((id) => ({
        address: morphoAddress,
        abi: morphoBlueAbi,
        functionName: "idToMarketParams" as const,
        args: [id] as const,
      })),
    });
    morpho = {
      address: morphoAddress,
      fromBlock: BigInt(morphoEntry.fromBlock),
      markets: ids.map((id, k) => {
        const [loanToken, collateralToken, oracle, irm, lltv] = params[k]!;
        const collateral = assetByToken.get(collateralToken.toLowerCase());
        const loan = assetByToken.get(loanToken.toLowerCase());
        if (collateral === undefined || loan === undefined) {
          throw new UserInputError(
            `deployment file: Morpho market ${id} uses a token that is not a listed asset`,
          );
        }
        return {
          marketId: devnetMarketId("morpho-blue", chain.id, id),
          id,
          collateral,
          loan,
          lltv: Number(lltv) / 1e18,
          params: { loanToken, collateralToken, oracle, irm, lltv },
        };
      }),
    };
  }
  const mainnet =
    config.devnet.profile === "mainnet" ? await readMainnetParts(client, file, config, assets) : undefined;
  return {
    rpcUrl: rpcUrl ?? chain.rpc[0]!,
    chainId: chain.id,
    quote: quote.id,
    ...(config.devnet.deployer === undefined ? {} : { lpHolder: getAddress(config.devnet.deployer) }),
    assets,
    aaveMarkets:
      mainnet === undefined
        ? aaveMarkets
        : await Promise.all(aaveMarkets.map((market) => withAaveOracle(client, market, assets))),
    ...(morpho === undefined ? {} : { morpho }),
    ...(mainnet === undefined ? {} : { mainnet }),
  };
}

type DeploymentFile = z.output<typeof deploymentFileSchema>;

/** The mainnet profile's pools and feeds, and the file as the indexer's config. */
async function readMainnetParts(
  client: PublicClient,
  file: unknown,
  config: DeploymentFile,
  assets: readonly TargetAsset[],
): Promise<TargetMainnet> {
  const swapRouter = config.devnet.contracts.uniswapV3SwapRouter;
  if (swapRouter === undefined)
    throw new UserInputError(
      "deployment file: devnet.contracts.uniswapV3SwapRouter is missing (profile mainnet)",
    );
  const v3 = config.assets.flatMap((asset) => {
    if (asset.liquidity.kind !== "uniswap-v3") return [];
    const { pool, quote } = asset.liquidity;
    if (pool === undefined || quote === undefined)
      throw new UserInputError(
        `deployment file: assets.${asset.id}.liquidity needs pool and quote (uniswap-v3)`,
      );
    if (!assets.some((a) => a.id === quote))
      throw new UserInputError(
        `deployment file: assets.${asset.id}.liquidity.quote ${quote} is not a listed asset`,
      );
    return [{ asset: asset.id, quote, address: getAddress(pool) }];
  });
  const reads = await client.multicall({
    allowFailure: false,
    contracts: v3.flatMap((pool) => [
      { address: pool.address, abi: uniswapV3PoolAbi, functionName: "fee" as const },
      { address: pool.address, abi: uniswapV3PoolAbi, functionName: "tickSpacing" as const },
    ]),
  });
  const pools = v3.map((pool, k) => ({
    ...pool,
    fee: Number(reads[2 * k]!),
    tickSpacing: Number(reads[2 * k + 1]!),
  }));
  const feeds = Object.entries(config.devnet.contracts).flatMap(([key, feed]) => {
    const match = /^feed\.(.+)$/.exec(key);
    if (match === null) return [];
    if (!assets.some((a) => a.id === match[1]))
      throw new UserInputError(
        `deployment file: devnet.contracts."${key}" names an asset that is not listed`,
      );
    return [{ asset: match[1]!, address: getAddress(feed) }];
  });
  return { swapRouter: getAddress(swapRouter), pools, feeds, config: parseConfig(file) };
}

/** An Aave market with its AaveOracle (from the pool's addresses provider) and its source per asset. */
async function withAaveOracle(
  client: PublicClient,
  market: TargetAaveMarket,
  assets: readonly TargetAsset[],
): Promise<TargetAaveMarket> {
  const provider = await client.readContract({
    address: market.pool,
    abi: aaveV3PoolAbi,
    functionName: "ADDRESSES_PROVIDER",
  });
  const oracle = await client.readContract({
    address: provider,
    abi: aaveV3AddressesProviderAbi,
    functionName: "getPriceOracle",
  });
  const baseUnit = await client.readContract({
    address: oracle,
    abi: aaveV3OracleAbi,
    functionName: "BASE_CURRENCY_UNIT",
  });
  const sources = await client.multicall({
    allowFailure: false,
    contracts: assets.map((asset) => ({
      address: oracle,
      abi: aaveV3OracleAbi,
      functionName: "getSourceOfAsset" as const,
      args: [asset.token] as const,
    })),
  });
  return {
    ...market,
    oracle: {
      address: oracle,
      baseUnit,
      sources: Object.fromEntries(assets.map((asset, k) => [asset.id, sources[k]!])),
    },
  };
}
