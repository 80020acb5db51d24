import { type Address, getAddress, type Hex, type PublicClient } from "viem";
import { z } from "zod";
import { erc20Abi } from "../../../abis/erc20.js";
import { morphoBlueAbi } from "../../../abis/morphoBlue.js";
import { UserInputError } from "../../core/errors.js";
import { type CascadeTarget, devnetMarketId, type TargetAsset } from "./cascadeTarget.js";

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "an 0x-prefixed 20-byte address");

/** The parts of the devnet deployment file (`cascade-monitor devnet --out FILE`) the liquidator reads. */
const deploymentFileSchema = z.object({
  chains: z.array(z.object({ id: z.number().int(), rpc: z.array(z.string()).min(1) })).min(1),
  assets: z.array(
    z.object({
      id: z.string(),
      tokens: z.record(z.string(), address),
      follows: z.object({ asset: z.string(), beta: z.number().default(1) }).optional(),
      liquidity: z.object({ kind: z.string(), pair: address.optional() }),
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
    profile: z.string().default("spot"),
    deployer: address.optional(),
    contracts: z.record(z.string(), address),
  }),
});

/**
 * Builds the liquidator's view of a running devnet from its deployment file, reading token
 * decimals and Morpho market parameters from the chain. `rpcUrl` overrides the file's RPC.
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
  if (config.devnet.profile !== "spot")
    throw new UserInputError(
      `deployment file: devnet.profile ${config.devnet.profile}: the devnet's liquidator trades Uniswap V2 pairs only; start the devnet with --profile spot`,
    );
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
  return {
    rpcUrl: rpcUrl ?? chain.rpc[0]!,
    chainId: chain.id,
    quote: quote.id,
    ...(config.devnet.deployer === undefined ? {} : { lpHolder: getAddress(config.devnet.deployer) }),
    assets,
    aaveMarkets,
    ...(morpho === undefined ? {} : { morpho }),
  };
}
