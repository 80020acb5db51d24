/** Maps a token on a chain to its configured economic asset id, and back. */
import { type Address, getAddress } from "viem";
import type { AssetConfig } from "../../config/schema/assets.js";
import { type AssetId, asAssetId } from "../../core/ids.js";

export class AssetRegistry {
  private readonly byToken = new Map<string, AssetId>();

  constructor(assets: readonly AssetConfig[]) {
    for (const asset of assets)
      for (const [chainId, token] of Object.entries(asset.tokens))
        this.byToken.set(`${chainId}:${token.toLowerCase()}`, asAssetId(asset.id));
  }

  /** The asset id of `token` on `chainId`, or undefined when no configured asset claims it. */
  assetOf(chainId: number, token: Address): AssetId | undefined {
    return this.byToken.get(`${chainId}:${getAddress(token).toLowerCase()}`);
  }
}
