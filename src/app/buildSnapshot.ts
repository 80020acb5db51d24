/**
 * Assembles a `cascade-snapshot/2` (docs/cascade-model.md section 1) from what the indexers read:
 * markets, oracle readings, pools and positions. Pure: no I/O.
 *
 * - Market prices: an asset with a pool is priced at the pool's price times its quote's price;
 *   others at what the protocols' oracles answer (then a configured `priceUsd`).
 * - Oracles: each market names the oracle each asset is judged by (`toOracleSpecs`), so every
 *   market's oracle reports, at snapshot prices, exactly what its contract answered.
 * - Liquidity: a Uniswap V2 pair is a `pool`, a Uniswap V3 pool `concentrated` ranges, against the
 *   asset the config names as quote (in USD for an asset that `follows` another: the model moves a
 *   follower by its leader only when it trades against dollars).
 * - No silent drops: a token the config does not list is an asset of its own (read on chain); an
 *   asset that cannot be priced or read is listed in `source.unpriced`, the markets leave it out,
 *   and every position holding it is excluded whole (`source.excluded` counts them and their debt).
 */

import { morphoOracleReadings } from "../adapters/oracles/morphoOracleReadings.js";
import type { OracleReading } from "../adapters/oracles/OracleReading.js";
import { type OracleSpec, toOracleSpecs } from "../adapters/oracles/toOracleSpecs.js";
import type { PoolReading } from "../adapters/pools/PoolReading.js";
import { resolvePrices } from "../adapters/prices/resolvePrices.js";
import type { DiscoveredToken } from "../adapters/protocols/AssetRegistry.js";
import type { MarketOracles, MarketsReading, UnpricedAsset } from "../adapters/protocols/ProtocolIndexer.js";
import type { AssetConfig } from "../config/schema/assets.js";
import type { AssetData, MarketData, PositionData, SnapshotInput } from "../core/snapshot/schema.js";
import { SNAPSHOT_SCHEMA } from "../core/snapshot/schema.js";

export interface BuildSnapshotInput {
  readonly assets: readonly AssetConfig[];
  /** Tokens the config does not list, read on chain. */
  readonly discovered?: readonly DiscoveredToken[];
  /** In config market order (the first USD quote of an asset wins). */
  readonly readings: readonly MarketsReading[];
  readonly pools: readonly PoolReading[];
  readonly positions: readonly PositionData[];
  readonly blocks: ReadonlyMap<number, bigint>;
  readonly takenAt: Date;
  readonly staleMarkets?: readonly string[];
}

/** What the snapshot leaves out, and why (also in `source`). */
export interface SnapshotOmissions {
  readonly unpriced: UnpricedAsset[];
  readonly excludedPositions: number;
  /** Debt of the excluded positions at the prices known (an unpriced asset counts 0). */
  readonly excludedDebtUsd: number;
  /** Oracle readings that could not be placed exactly, one line each. */
  readonly notes: string[];
}

export function buildSnapshot(input: BuildSnapshotInput): SnapshotInput {
  return buildSnapshotWithOmissions(input).snapshot;
}

export function buildSnapshotWithOmissions(input: BuildSnapshotInput): {
  snapshot: SnapshotInput;
  omissions: SnapshotOmissions;
} {
  const discovered = input.discovered ?? [];
  const configById = new Map(input.assets.map((a) => [a.id, a]));
  const discoveredById = new Map(discovered.map((d) => [d.id as string, d]));
  const pools = new Map(input.pools.map((p) => [p.asset, p]));
  const prices = resolvePrices(
    input.assets,
    input.readings.flatMap((r) => r.prices),
    pools,
  );
  const priceOf = (asset: string): number | undefined => prices.get(asset)?.priceUsd;
  const decimals = new Map<string, number>();
  for (const reading of input.readings)
    for (const [asset, d] of reading.decimals) if (!decimals.has(asset)) decimals.set(asset, d);
  for (const pool of input.pools) if (!decimals.has(pool.asset)) decimals.set(pool.asset, pool.decimals);
  for (const token of discovered) if (!decimals.has(token.id)) decimals.set(token.id, token.decimals);

  // What cannot be priced, per market (a market's own oracle answering 0) and everywhere.
  const unpriced: UnpricedAsset[] = input.readings.flatMap((r) => [...(r.unpriced ?? [])]);
  const unpricedIn = new Map<string, Set<string>>();
  const markUnpriced = (market: string, asset: string): void => {
    const set = unpricedIn.get(market) ?? new Set<string>();
    set.add(asset);
    unpricedIn.set(market, set);
  };
  for (const u of unpriced) markUnpriced(u.market, u.asset);
  const usable = (market: string, asset: string): boolean =>
    priceOf(asset) !== undefined && !(unpricedIn.get(market)?.has(asset) ?? false);

  const notes: string[] = input.readings.flatMap((r) => [...(r.notes ?? [])]);
  const markets: MarketData[] = [];
  for (const market of input.readings.flatMap((r) => r.markets)) {
    for (const asset of assetsOfMarket(market))
      if (priceOf(asset) === undefined && !(unpricedIn.get(market.id)?.has(asset) ?? false)) {
        unpriced.push({ market: market.id, asset, reason: "no oracle of the markets and no pool prices it" });
        markUnpriced(market.id, asset);
      }
    const kept = withoutUnpriced(market, (asset) => usable(market.id, asset));
    if (kept !== undefined) markets.push(kept);
  }

  // Oracles: every reading, Morpho oracles decomposed against the other protocols' feeds.
  const readings: OracleReading[] = input.readings.flatMap((r) => [...(r.oracles ?? [])]);
  const feedAssets = new Map<string, string>();
  for (const r of readings)
    if (r.kind === "feed" && r.address !== undefined && !feedAssets.has(r.address.toLowerCase()))
      feedAssets.set(r.address.toLowerCase(), r.asset);
  const marketOracles = new Map<string, MarketOracles>();
  for (const r of input.readings) for (const [id, o] of r.marketOracles ?? []) marketOracles.set(id, o);
  for (const morpho of input.readings.flatMap((r) => [...(r.morphoOracles ?? [])])) {
    const decomposed = morphoOracleReadings({ ...morpho, feedAssets });
    readings.push(...decomposed.readings);
    notes.push(...decomposed.notes);
    marketOracles.set(morpho.marketId, {
      kind: "morpho-blue",
      collateralOracle: decomposed.collateralOracle,
      loanOracle: decomposed.loanOracle,
    });
  }
  const specs = toOracleSpecs(readings, priceOf);
  const oracles: Record<string, OracleSpec> = {};
  const named = new Set<string>();
  /** Lists an oracle id and what it depends on; false when it cannot be used. */
  const useOracle = (id: string): boolean => {
    if (prices.has(id) && !Object.hasOwn(specs.oracles, id)) {
      named.add(id);
      return true;
    }
    const spec = specs.oracles[id];
    if (spec === undefined) return false;
    if (spec.kind === "market" && priceOf(spec.asset) === undefined) return false;
    if (spec.kind === "rate" && !useOracle(spec.oracle)) return false;
    oracles[id] = spec;
    if (spec.kind === "market") named.add(spec.asset);
    return true;
  };
  const withOracles = markets.map((market) => attachOracles(market, marketOracles.get(market.id), useOracle));

  // Positions: excluded whole when they hold anything their market cannot price.
  const marketIds = new Set(withOracles.map((m) => m.id));
  const positions: PositionData[] = [];
  let excludedPositions = 0;
  let excludedDebtUsd = 0;
  for (const position of input.positions) {
    const held = [
      ...Object.entries(position.collateral).filter(([, v]) => v > 0),
      ...Object.entries(position.debt).filter(([, v]) => v > 0),
    ].map(([asset]) => asset);
    if (marketIds.has(position.market) && held.every((asset) => usable(position.market, asset))) {
      positions.push(position);
      continue;
    }
    excludedPositions++;
    for (const [asset, amount] of Object.entries(position.debt))
      excludedDebtUsd += amount * (priceOf(asset) ?? 0);
  }

  for (const market of withOracles) for (const asset of assetsOfMarket(market)) named.add(asset);
  for (const position of positions) {
    for (const asset of Object.keys(position.collateral)) named.add(asset);
    for (const asset of Object.keys(position.debt)) named.add(asset);
  }
  // A follower needs its leader listed, a pool its quote: close the set over both links.
  const quoteOfAsset = (asset: string): string | undefined => {
    const config = configById.get(asset);
    if (config === undefined || config.follows !== undefined) return undefined;
    const pool = pools.get(asset);
    return (
      pool?.quote ??
      (config.liquidity.kind === "depth" || config.liquidity.kind === "infinite"
        ? config.liquidity.quote
        : undefined)
    );
  };
  for (let grew = true; grew; ) {
    grew = false;
    for (const asset of [...named]) {
      for (const linked of [configById.get(asset)?.follows?.asset, quoteOfAsset(asset)])
        if (linked !== undefined && !named.has(linked)) {
          named.add(linked);
          grew = true;
        }
    }
  }

  const assets: AssetData[] = [];
  const emit = (id: string, symbol: string | undefined): void => {
    const priceUsd = priceOf(id);
    if (priceUsd === undefined) return;
    const config = configById.get(id);
    const d = decimals.get(id);
    assets.push({
      id,
      ...(symbol === undefined ? {} : { symbol }),
      priceUsd,
      liquidity: liquidityOf(config, pools.get(id), priceUsd, priceOf),
      ...(config?.follows === undefined
        ? {}
        : { follows: { asset: config.follows.asset, beta: config.follows.beta } }),
      ...(d === undefined ? {} : { decimals: d }),
    });
  };
  // Every priced configured asset is listed (scenarios may shock one no position holds yet).
  for (const config of input.assets) emit(config.id, config.symbol);
  for (const token of discovered) if (named.has(token.id)) emit(token.id, token.symbol);
  for (const asset of named)
    if (!configById.has(asset) && !discoveredById.has(asset) && priceOf(asset) !== undefined)
      emit(asset, undefined);

  positions.sort((a, b) => (a.market === b.market ? cmp(a.account, b.account) : cmp(a.market, b.market)));
  const chainIds = [...input.blocks.keys()].sort((a, b) => a - b);
  const omissions: SnapshotOmissions = { unpriced, excludedPositions, excludedDebtUsd, notes };
  return {
    snapshot: {
      schema: SNAPSHOT_SCHEMA,
      source: {
        chainIds,
        blocks: Object.fromEntries(chainIds.map((id) => [String(id), Number(input.blocks.get(id))])),
        takenAt: input.takenAt.toISOString(),
        staleMarkets: [...(input.staleMarkets ?? [])],
        unpriced,
        excluded: { positions: excludedPositions, debtUsd: excludedDebtUsd },
      },
      assets,
      oracles,
      markets: withOracles,
      positions,
    },
    omissions,
  };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function liquidityOf(
  config: AssetConfig | undefined,
  pool: PoolReading | undefined,
  priceUsd: number,
  priceOf: (asset: string) => number | undefined,
): AssetData["liquidity"] {
  // A follower trades against dollars in the model: its pool is written in USD.
  const inUsd = config?.follows !== undefined;
  if (pool !== undefined) {
    const quotePrice = priceOf(pool.quote) ?? 1;
    if (pool.kind === "pair")
      return inUsd
        ? {
            kind: "pool",
            reserveAsset: pool.reserveAsset,
            reserveUsd: pool.reserveAsset * priceUsd,
            feeBps: pool.feeBps,
          }
        : {
            kind: "pool",
            quote: pool.quote,
            reserveAsset: pool.reserveAsset,
            reserveQuote: pool.reserveQuote,
            feeBps: pool.feeBps,
          };
    return {
      kind: "concentrated",
      ...(inUsd ? {} : { quote: pool.quote }),
      feeBps: pool.feeBps,
      ranges: pool.ranges.map((r) =>
        inUsd
          ? // Prices in USD: bounds scale by the quote's price, L by its square root (s = sqrt(price)).
            {
              lower: r.lower * quotePrice,
              upper: r.upper * quotePrice,
              liquidity: r.liquidity * Math.sqrt(quotePrice),
            }
          : { ...r },
      ),
    };
  }
  const liquidity = config?.liquidity;
  if (liquidity?.kind === "depth")
    return {
      kind: "depth",
      ...(liquidity.quote === undefined || inUsd ? {} : { quote: liquidity.quote }),
      depthUsd: liquidity.depthUsd,
      depthPct: liquidity.depthPct,
      feeBps: liquidity.feeBps,
    };
  if (liquidity?.kind === "infinite" && liquidity.quote !== undefined && !inUsd)
    return { kind: "infinite", quote: liquidity.quote };
  return { kind: "infinite" };
}

/** The market without the assets it cannot price; undefined when nothing usable is left. */
function withoutUnpriced(market: MarketData, usable: (asset: string) => boolean): MarketData | undefined {
  switch (market.protocol) {
    case "aave-v3": {
      const reserves = Object.fromEntries(Object.entries(market.reserves).filter(([a]) => usable(a)));
      const emodes = Object.fromEntries(
        Object.entries(market.emodes).map(([k, e]) => [k, { ...e, assets: e.assets.filter(usable) }]),
      );
      return { ...market, reserves, emodes };
    }
    case "aave-v4":
      return {
        ...market,
        reserves: Object.fromEntries(Object.entries(market.reserves).filter(([a]) => usable(a))),
      };
    case "morpho-blue":
      return usable(market.collateral) && usable(market.loan) ? market : undefined;
    case "compound-v3":
      return usable(market.base)
        ? {
            ...market,
            collaterals: Object.fromEntries(Object.entries(market.collaterals).filter(([a]) => usable(a))),
          }
        : undefined;
  }
}

/** Names, per asset, the oracle the market judges it by, when that oracle can be written. */
function attachOracles(
  market: MarketData,
  oracles: MarketOracles | undefined,
  useOracle: (id: string) => boolean,
): MarketData {
  if (oracles === undefined) return market;
  if (oracles.kind === "morpho-blue") {
    if (market.protocol !== "morpho-blue") return market;
    return {
      ...market,
      ...(useOracle(oracles.collateralOracle) ? { collateralOracle: oracles.collateralOracle } : {}),
      ...(useOracle(oracles.loanOracle) ? { loanOracle: oracles.loanOracle } : {}),
    };
  }
  const pick = (asset: string): { oracle?: string } => {
    const id = oracles.byAsset[asset];
    return id !== undefined && useOracle(id) ? { oracle: id } : {};
  };
  switch (market.protocol) {
    case "aave-v3":
      return {
        ...market,
        reserves: Object.fromEntries(
          Object.entries(market.reserves).map(([a, r]) => [a, { ...r, ...pick(a) }]),
        ),
      };
    case "aave-v4":
      return {
        ...market,
        reserves: Object.fromEntries(
          Object.entries(market.reserves).map(([a, r]) => [a, { ...r, ...pick(a) }]),
        ),
      };
    case "compound-v3": {
      const base = pick(market.base).oracle;
      return {
        ...market,
        ...(base === undefined ? {} : { baseOracle: base }),
        collaterals: Object.fromEntries(
          Object.entries(market.collaterals).map(([a, c]) => [a, { ...c, ...pick(a) }]),
        ),
      };
    }
    case "morpho-blue":
      return market;
  }
}

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
