/**
 * Assembles a `cascade-snapshot/1` from what the indexers read: markets, oracle quotes, pool
 * reserves and positions. Pure: no I/O. Assets no market or position names, and that have no
 * price, are left out; an asset that is named but has no price is an error naming it.
 */
import type { PoolReserves } from "../adapters/prices/readUniswapV2Pools.js";
import { resolvePrices } from "../adapters/prices/resolvePrices.js";
import type { MarketsReading } from "../adapters/protocols/ProtocolIndexer.js";
import type { AssetConfig } from "../config/schema/assets.js";
import { FatalError } from "../core/errors.js";
import type { AssetData, MarketData, PositionData, SnapshotInput } from "../core/snapshot/schema.js";
import { SNAPSHOT_SCHEMA } from "../core/snapshot/schema.js";

export interface BuildSnapshotInput {
  readonly assets: readonly AssetConfig[];
  /** In config market order (the first USD quote of an asset wins). */
  readonly readings: readonly MarketsReading[];
  readonly pools: readonly PoolReserves[];
  readonly positions: readonly PositionData[];
  readonly blocks: ReadonlyMap<number, bigint>;
  readonly takenAt: Date;
  readonly staleMarkets?: readonly string[];
}

export function buildSnapshot(input: BuildSnapshotInput): SnapshotInput {
  const pools = new Map(input.pools.map((p) => [p.asset, p]));
  const prices = resolvePrices(
    input.assets,
    input.readings.flatMap((r) => r.prices),
    pools,
  );
  const decimals = new Map<string, number>();
  for (const reading of input.readings)
    for (const [asset, d] of reading.decimals) if (!decimals.has(asset)) decimals.set(asset, d);
  for (const pool of input.pools) if (!decimals.has(pool.asset)) decimals.set(pool.asset, pool.decimals);

  const markets: MarketData[] = input.readings.flatMap((r) => r.markets);
  const named = new Set<string>();
  for (const market of markets) for (const asset of assetsOfMarket(market)) named.add(asset);
  for (const position of input.positions) {
    for (const asset of Object.keys(position.collateral)) named.add(asset);
    for (const asset of Object.keys(position.debt)) named.add(asset);
  }
  // A follower needs its leader listed, and a pool its quote's price.
  const byId = new Map(input.assets.map((a) => [a.id, a]));
  for (const asset of [...named]) {
    let leader = byId.get(asset)?.follows?.asset;
    while (leader !== undefined && !named.has(leader)) {
      named.add(leader);
      leader = byId.get(leader)?.follows?.asset;
    }
  }

  const assets: AssetData[] = [];
  for (const config of input.assets) {
    const price = prices.get(config.id);
    if (price === undefined) {
      if (named.has(config.id))
        throw new FatalError(
          `asset ${config.id}: no oracle of the configured markets prices it and it has no pool; set assets[].priceUsd or liquidity`,
        );
      continue;
    }
    const pool = pools.get(config.id);
    const liquidity: AssetData["liquidity"] =
      pool !== undefined
        ? {
            kind: "pool",
            reserveAsset: pool.reserveAsset,
            reserveUsd: pool.reserveAsset * price.priceUsd,
            feeBps: pool.feeBps,
          }
        : config.liquidity.kind === "depth"
          ? {
              kind: "depth",
              depthUsd: config.liquidity.depthUsd,
              depthPct: config.liquidity.depthPct,
              feeBps: config.liquidity.feeBps,
            }
          : { kind: "infinite" };
    const d = decimals.get(config.id);
    assets.push({
      id: config.id,
      ...(config.symbol === undefined ? {} : { symbol: config.symbol }),
      priceUsd: price.priceUsd,
      liquidity,
      ...(config.follows === undefined
        ? {}
        : { follows: { asset: config.follows.asset, beta: config.follows.beta } }),
      ...(d === undefined ? {} : { decimals: d }),
    });
  }
  for (const asset of named)
    if (!byId.has(asset)) throw new FatalError(`asset ${asset}: named by a market but not configured`);

  const positions = [...input.positions].sort((a, b) =>
    a.market === b.market ? cmp(a.account, b.account) : cmp(a.market, b.market),
  );
  const chainIds = [...input.blocks.keys()].sort((a, b) => a - b);
  return {
    schema: SNAPSHOT_SCHEMA,
    source: {
      chainIds,
      blocks: Object.fromEntries(chainIds.map((id) => [String(id), Number(input.blocks.get(id))])),
      takenAt: input.takenAt.toISOString(),
      staleMarkets: [...(input.staleMarkets ?? [])],
    },
    assets,
    markets,
    positions,
  };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function assetsOfMarket(market: MarketData): string[] {
  switch (market.protocol) {
    case "aave-v3":
      return [...Object.keys(market.reserves), ...Object.values(market.emodes).flatMap((e) => e.assets)];
    case "aave-v4":
      return Object.keys(market.reserves);
    case "morpho-blue":
      return [market.collateral, market.loan];
    case "compound-v3":
      return [market.base, ...Object.keys(market.collaterals)];
  }
}
