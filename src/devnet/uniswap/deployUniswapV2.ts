import { type Address, parseUnits } from "viem";
import { FatalError } from "../../core/errors.js";
import type { DevnetAssetId, DevnetClients } from "../aave/AaveDeployment.js";
import { decimalString } from "../decimalString.js";
import { deployContract } from "../deploy/deployContract.js";
import { loadPackageArtifact } from "../deploy/loadPackageArtifact.js";
import type { DevnetAssetSpec } from "../devnetAssets.js";
import { sendAndWait } from "../solidity/deployArtifact.js";
import { type DevnetTokens, MINTABLE_ERC20 } from "../tokens/deployTestTokens.js";

export const UNISWAP_V2_FACTORY = "@uniswap/v2-core/build/UniswapV2Factory.json";
export const UNISWAP_V2_PAIR = "@uniswap/v2-core/build/UniswapV2Pair.json";
export const UNISWAP_V2_ROUTER = "@uniswap/v2-periphery/build/UniswapV2Router02.json";

export interface UniswapV2Deployment {
  factory: Address;
  router: Address;
  /** Pair of each non-quote asset against the quote asset. */
  pairs: Record<DevnetAssetId, Address>;
}

/**
 * Deploys Uniswap V2's factory and router and one pair per asset holding `pairReserve` units
 * against `pairReserve × priceUsd` of `quote` (so reserveQuote / reserveAsset = priceUsd). The LP tokens go
 * to the deployer. The router's WETH slot gets the devnet WETH token; its ETH paths are not used.
 */
export async function deployUniswapV2(
  clients: DevnetClients,
  tokens: DevnetTokens,
  assets: readonly DevnetAssetSpec[],
  quote: DevnetAssetId,
): Promise<UniswapV2Deployment> {
  const factoryArtifact = loadPackageArtifact(UNISWAP_V2_FACTORY);
  const pairArtifact = loadPackageArtifact(UNISWAP_V2_PAIR);
  const tokenArtifact = loadPackageArtifact(MINTABLE_ERC20);
  const deployer = clients.wallet.account.address;
  const quoteToken = tokens[quote];
  const weth = tokens.WETH ?? quoteToken;
  if (quoteToken === undefined || weth === undefined) {
    throw new FatalError(`devnet: quote asset ${quote} has no token`);
  }
  const factory = await deployContract(clients, factoryArtifact, [deployer], "UniswapV2Factory");
  const router = await deployContract(
    clients,
    loadPackageArtifact(UNISWAP_V2_ROUTER),
    [factory, weth.address],
    "UniswapV2Router02",
  );
  const pairs: Record<DevnetAssetId, Address> = {};
  for (const asset of assets) {
    if (asset.id === quote || asset.pairReserve === undefined) continue;
    const token = tokens[asset.id];
    if (token === undefined) throw new FatalError(`devnet: asset ${asset.id} has no token`);
    await sendAndWait(clients, {
      address: factory,
      abi: factoryArtifact.abi,
      functionName: "createPair",
      args: [token.address, quoteToken.address],
    });
    const pair = (await clients.public.readContract({
      address: factory,
      abi: factoryArtifact.abi,
      functionName: "getPair",
      args: [token.address, quoteToken.address],
    })) as Address;
    const assetAmount = parseUnits(decimalString(asset.pairReserve), asset.decimals);
    const quoteAmount = parseUnits(decimalString(asset.pairReserve * asset.priceUsd), quoteToken.decimals);
    await sendAndWait(clients, {
      address: token.address,
      abi: tokenArtifact.abi,
      functionName: "mint",
      args: [pair, assetAmount],
    });
    await sendAndWait(clients, {
      address: quoteToken.address,
      abi: tokenArtifact.abi,
      functionName: "mint",
      args: [pair, quoteAmount],
    });
    await sendAndWait(clients, {
      address: pair,
      abi: pairArtifact.abi,
      functionName: "mint",
      args: [deployer],
    });
    pairs[asset.id] = pair;
  }
  return { factory, router, pairs };
}
