import type { Address } from "viem";
import type { DevnetAssetId, DevnetClients } from "../aave/AaveDeployment.js";
import { deployContract } from "../deploy/deployContract.js";
import { loadPackageArtifact } from "../deploy/loadPackageArtifact.js";
import type { DevnetAssetSpec } from "../devnetAssets.js";

/** Aave's own test token: `mint(account, value)` is open to anyone, which seeding relies on. */
export const MINTABLE_ERC20 =
  "@aave/core-v3/artifacts/contracts/mocks/tokens/MintableERC20.sol/MintableERC20.json";

export type DevnetTokens = Record<DevnetAssetId, { address: Address; decimals: number }>;

/** Deploys one MintableERC20 per asset, with the asset's id as symbol and its decimals. */
export async function deployTestTokens(
  clients: DevnetClients,
  assets: readonly DevnetAssetSpec[],
): Promise<DevnetTokens> {
  const artifact = loadPackageArtifact(MINTABLE_ERC20);
  const tokens: DevnetTokens = {};
  for (const asset of assets) {
    const address = await deployContract(clients, artifact, [asset.name, asset.id, asset.decimals], asset.id);
    tokens[asset.id] = { address, decimals: asset.decimals };
  }
  return tokens;
}
