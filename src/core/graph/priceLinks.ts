import { asAssetId } from "../ids.js";
import type { AssetData } from "../snapshot/schema.js";
import type { PriceLink } from "./collateralGraph.js";

export interface AssetLinks {
  leaders: PriceLink[];
  followers: PriceLink[];
}

/**
 * Leaders and followers of every asset, transitively, with cumulative betas: a follower moves
 * by `1 + beta (r - 1)` of its leader's ratio `r`, so along a chain the betas multiply.
 * Assumes no cycle (`parseSnapshot` refuses them); a chain longer than the asset count stops.
 */
export function priceLinks(assets: readonly AssetData[]): Map<string, AssetLinks> {
  const byId = new Map(assets.map((a) => [a.id, a]));
  const links = new Map<string, AssetLinks>(assets.map((a) => [a.id, { leaders: [], followers: [] }]));
  for (const asset of assets) {
    let beta = 1;
    let current = asset;
    for (let hops = 0; current.follows !== undefined && hops < assets.length; hops++) {
      const leader = byId.get(current.follows.asset);
      if (leader === undefined) break;
      beta *= current.follows.beta;
      links.get(asset.id)?.leaders.push({ asset: asAssetId(leader.id), beta });
      links.get(leader.id)?.followers.push({ asset: asAssetId(asset.id), beta });
      current = leader;
    }
  }
  for (const entry of links.values()) entry.followers.sort((a, b) => (a.asset < b.asset ? -1 : 1));
  return links;
}
