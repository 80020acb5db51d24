/**
 * How the oracle reports move with one asset's market price, all else fixed: an asset quoted
 * (directly or through others) in the moved asset moves with it exactly, a follower by its beta
 * (products along the chain), a `market` oracle with its asset, a `rate` oracle with its source,
 * a `fixed` oracle not at all. Every link is linear, so `o_k = o_k0 (1 + sens_k (p / p0 - 1))`
 * exactly (deviation thresholds aside: the sensitivities describe reports that follow every move).
 */
import type { BookAssets, BookOracles } from "../book/book.js";
import { ORACLE_FIXED, ORACLE_MARKET } from "../book/book.js";
import { compileAssets } from "../book/compileAssets.js";
import { compileOracles } from "../book/compileOracles.js";
import type { Snapshot } from "../snapshot/snapshot.js";

/** The snapshot's assets and oracles as the engine compiles them (no positions). */
export interface PriceForest {
  readonly assets: BookAssets;
  readonly oracles: BookOracles;
}

export function priceForestOf(snapshot: Snapshot): PriceForest {
  const assets = compileAssets(snapshot);
  return { assets, oracles: compileOracles(snapshot, assets) };
}

/** Per asset index, d ln p / d ln p_moved. */
export function assetSensitivity(assets: BookAssets, moved: number): Float64Array {
  const sens = new Float64Array(assets.count);
  for (const a of assets.dependencyOrder) {
    if (a === moved) sens[a] = 1;
    else if (assets.quote[a]! >= 0) sens[a] = sens[assets.quote[a]!]!;
    else if (assets.leader[a]! >= 0) sens[a] = assets.beta[a]! * sens[assets.leader[a]!]!;
  }
  return sens;
}

/** Per oracle id, d ln o / d ln p_moved. */
export function oracleSensitivity(forest: PriceForest, moved: number): Map<string, number> {
  const { oracles } = forest;
  const sens = assetSensitivity(forest.assets, moved);
  const out = new Float64Array(oracles.count);
  for (const o of oracles.updateOrder) {
    const kind = oracles.kind[o];
    out[o] =
      kind === ORACLE_MARKET
        ? sens[oracles.asset[o]!]!
        : kind === ORACLE_FIXED
          ? 0
          : out[oracles.source[o]!]!;
  }
  return new Map(oracles.ids.map((id, o) => [id, out[o]!]));
}

/** Per oracle id, its report at the snapshot. */
export function oracleReports(forest: PriceForest): Map<string, number> {
  return new Map(forest.oracles.ids.map((id, o) => [id, forest.oracles.reportedUsd[o]!]));
}
