/**
 * One USD (market) price per economic asset. An asset with a pool is priced at the pool's spot
 * times its quote's price, because the model requires a pool's price to equal it; on the devnet the oracles follow those pools, so both agree.
 * Otherwise the first USD quote in config market order wins (Aave oracle, Compound `getPrice`),
 * then a Morpho oracle ratio times its loan asset's price, then a configured `priceUsd`.
 */
import type { AssetConfig } from "../../config/schema/assets.js";
import { type PoolReading, poolPrice } from "../pools/PoolReading.js";
import type { PriceQuote } from "../protocols/ProtocolIndexer.js";

export interface ResolvedPrice {
  readonly priceUsd: number;
  readonly source: string;
}

export function resolvePrices(
  assets: readonly AssetConfig[],
  quotes: readonly PriceQuote[],
  pools: ReadonlyMap<string, PoolReading>,
): Map<string, ResolvedPrice> {
  const resolved = new Map<string, ResolvedPrice>();
  for (const quote of quotes)
    if (quote.kind === "usd" && !pools.has(quote.asset) && !resolved.has(quote.asset) && quote.priceUsd > 0)
      resolved.set(quote.asset, { priceUsd: quote.priceUsd, source: quote.source });
  // Pools and relative quotes may depend on each other (a pool quoted in an oracle-priced asset,
  // a Morpho ratio against a pooled asset): resolve until nothing changes.
  for (let progress = true; progress; ) {
    progress = false;
    for (const [asset, pool] of pools) {
      if (resolved.has(asset)) continue;
      const quotePrice = resolved.get(pool.quote);
      if (quotePrice === undefined) continue;
      resolved.set(asset, {
        priceUsd: poolPrice(pool) * quotePrice.priceUsd,
        source: pool.kind === "pair" ? "uniswap-v2" : "uniswap-v3",
      });
      progress = true;
    }
    for (const quote of quotes) {
      if (quote.kind !== "relative" || resolved.has(quote.asset) || pools.has(quote.asset)) continue;
      const quotePrice = resolved.get(quote.quoteAsset);
      if (quotePrice === undefined || !(quote.ratio > 0)) continue;
      resolved.set(quote.asset, { priceUsd: quote.ratio * quotePrice.priceUsd, source: quote.source });
      progress = true;
    }
    for (const asset of assets) {
      if (resolved.has(asset.id) || asset.priceUsd === undefined || pools.has(asset.id)) continue;
      resolved.set(asset.id, { priceUsd: asset.priceUsd, source: "config" });
      progress = true;
    }
  }
  return resolved;
}
