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

import { composeOracleReadings } from "../adapters/oracles/composeOracleReadings.js";
import { type OracleSpec, toOracleSpecs } from "../adapters/oracles/toOracleSpecs.js";
import type { PoolReading } from "../adapters/pools/PoolReading.js";
import { resolvePrices } from "../adapters/prices/resolvePrices.js";
import type { DiscoveredToken } from "../adapters/protocols/AssetRegistry.js";
import type { MarketOracles, MarketsReading, UnpricedAsset } from "../adapters/protocols/ProtocolIndexer.js";
import type { AssetConfig } from "../config/schema/assets.js";
import type { AssetData, MarketData, PositionData, SnapshotInput } from "../core/snapshot/schema.js";
import { SNAPSHOT_SCHEMA } from "../core/snapshot/schema.js";

/** Everything a snapshot is built from but its positions. */
export interface SnapshotFrameInput {
  readonly assets: readonly AssetConfig[];
  /** Tokens the config does not list, read on chain. */
  readonly discovered?: readonly DiscoveredToken[];
  /** In config market order (the first USD quote of an asset wins). */
  readonly readings: readonly MarketsReading[];
  readonly pools: readonly PoolReading[];
  readonly blocks: ReadonlyMap<number, bigint>;
  readonly takenAt: Date;
  readonly staleMarkets?: readonly string[];
}

export interface BuildSnapshotInput extends SnapshotFrameInput {
  readonly positions: readonly PositionData[];
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

export function buildSnapshotWithOmissions(input: BuildSnapshotInput): BuiltSnapshot {
  const frame = frameSnapshot(input);
  const positions: PositionData[] = [];
  const excluded: PositionData[] = [];
  for (const position of input.positions) (frame.includes(position) ? positions : excluded).push(position);
  positions.sort(comparePositions);
  const positionAssets = new Set<string>();
  for (const position of positions) for (const asset of assetsNamedBy(position)) positionAssets.add(asset);
  return completeSnapshot(frame, positions, positionAssets, excluded);
}

export interface BuiltSnapshot {
  readonly snapshot: SnapshotInput;
  readonly omissions: SnapshotOmissions;
}

/**
 * A snapshot without its positions: markets, oracles, prices, and which positions it keeps.
 * `complete` adds the kept positions; a full build and an update of the previous build's
 * positions (`createSnapshotAssembler`) both end there, so they give the same document.
 */
export interface SnapshotFrame {
  /** True when the snapshot keeps `position`: its market is kept and prices all it holds. */
  readonly includes: (position: PositionData) => boolean;
  /** Equal for two frames whose `includes` agree on every position. */
  readonly inclusionKey: string;
  /** @internal what `completeSnapshot` finishes */
  readonly parts: FrameParts;
}

interface FrameParts {
  readonly input: SnapshotFrameInput;
  readonly named: Set<string>;
  readonly configById: ReadonlyMap<string, AssetConfig>;
  readonly discoveredById: ReadonlyMap<string, DiscoveredToken>;
  readonly pools: ReadonlyMap<string, PoolReading>;
  readonly decimals: ReadonlyMap<string, number>;
  readonly priceOf: (asset: string) => number | undefined;
  readonly unpriced: UnpricedAsset[];
  readonly notes: string[];
  readonly oracles: Record<string, OracleSpec>;
  readonly markets: MarketData[];
}

/** Report order: market id, then account. */
export const comparePositions = (a: PositionData, b: PositionData): number =>
  a.market === b.market ? cmp(a.account, b.account) : cmp(a.market, b.market);

/** Every asset a position names (held or at zero): the snapshot lists them. */
export function assetsNamedBy(position: PositionData): string[] {
  return [...Object.keys(position.collateral), ...Object.keys(position.debt)];
}

export function frameSnapshot(input: SnapshotFrameInput): SnapshotFrame {
  const discovered = input.discovered ?? [];
  const configById = new Map(input.assets.map((a) => [a.id, a]));
  const discoveredById = new Map(discovered.map((d) => [d.id as string, d]));
  const pools = new Map(input.pools.map((p) => [p.asset, p]));
  const prices = resolvePrices(
    input.assets,
    input.readings.flatMap((r) => r.prices),
    pools,
  );
  // Priced only when what it trades against and what it follows are priced too (else the
  // snapshot would name an asset it does not list): resolved until nothing changes.
  const blocked = new Map<string, string>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const asset of prices.keys()) {
      if (blocked.has(asset)) continue;
      const link = linksOf(asset, configById, pools).find(
        (l) => !prices.has(l.asset) || blocked.has(l.asset),
      );
      if (link === undefined) continue;
      blocked.set(asset, `${link.role} ${link.asset}, which is unpriced`);
      grew = true;
    }
  }
  const priceOf = (asset: string): number | undefined =>
    blocked.has(asset) ? undefined : prices.get(asset)?.priceUsd;
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
        unpriced.push({
          market: market.id,
          asset,
          reason: blocked.get(asset) ?? "no oracle of the markets and no pool prices it",
        });
        markUnpriced(market.id, asset);
      }
    const kept = withoutUnpriced(market, (asset) => usable(market.id, asset));
    if (kept !== undefined) markets.push(kept);
  }

  // Oracles: every reading, Morpho oracles decomposed against the other protocols' feeds.
  const { readings, marketOracles, notes: oracleNotes } = composeOracleReadings(input.readings);
  notes.push(...oracleNotes);
  const specs = toOracleSpecs(readings, priceOf);
  const oracles: Record<string, OracleSpec> = {};
  const named = new Set<string>();
  /** Lists an oracle id and what it depends on; false when it cannot be used. */
  const useOracle = (id: string): boolean => {
    if (priceOf(id) !== undefined && !Object.hasOwn(specs.oracles, id)) {
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
  const includes = (position: PositionData): boolean => {
    if (!marketIds.has(position.market)) return false;
    for (const side of [position.collateral, position.debt])
      for (const asset in side) if (side[asset]! > 0 && !usable(position.market, asset)) return false;
    return true;
  };
  // What `includes` depends on: the markets kept, the assets priced, what each market cannot price.
  const inclusionKey = JSON.stringify([
    [...marketIds].sort(),
    [...prices.keys()].filter((asset) => !blocked.has(asset)).sort(),
    [...unpricedIn].map(([market, set]) => [market, [...set].sort()]).sort(),
  ]);
  for (const market of withOracles) for (const asset of assetsOfMarket(market)) named.add(asset);
  return {
    includes,
    inclusionKey,
    parts: {
      input,
      named,
      configById,
      discoveredById,
      pools,
      decimals,
      priceOf,
      unpriced,
      notes,
      oracles,
      markets: withOracles,
    },
  };
}

/**
 * The snapshot of `frame` with `positions` (kept by `frame.includes`, in report order), naming
 * `positionAssets` (the assets those positions name); `excluded` are the positions left out.
 */
export function completeSnapshot(
  frame: SnapshotFrame,
  positions: PositionData[],
  positionAssets: Iterable<string>,
  excluded: readonly PositionData[],
): BuiltSnapshot {
  const { input, configById, discoveredById, pools, decimals, priceOf, unpriced, notes, oracles } =
    frame.parts;
  const discovered = input.discovered ?? [];
  const named = new Set(frame.parts.named);
  for (const asset of positionAssets) named.add(asset);
  // Summed in report order, so that the total does not depend on the order positions came in.
  let excludedDebtUsd = 0;
  for (const position of [...excluded].sort(comparePositions))
    for (const [asset, amount] of Object.entries(position.debt))
      excludedDebtUsd += amount * (priceOf(asset) ?? 0);
  const excludedPositions = excluded.length;
  // A follower needs its leader listed, a pool its quote: close the set over both links.
  for (let grew = true; grew; ) {
    grew = false;
    for (const asset of [...named]) {
      for (const link of linksOf(asset, configById, pools))
        if (!named.has(link.asset)) {
          named.add(link.asset);
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
  // Sorted: the set's order follows the order positions came in.
  for (const asset of [...named].sort())
    if (!configById.has(asset) && !discoveredById.has(asset) && priceOf(asset) !== undefined)
      emit(asset, undefined);

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
      markets: frame.parts.markets,
      positions,
    },
    omissions,
  };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface AssetLink {
  /** How the snapshot names it: "quoted in" (its liquidity's quote) or "follows" (its leader). */
  readonly role: "quoted in" | "follows";
  readonly asset: string;
}

/** The assets the snapshot entry of `asset` names: its leader, or else its pool's or config's quote. */
function linksOf(
  asset: string,
  configById: ReadonlyMap<string, AssetConfig>,
  pools: ReadonlyMap<string, PoolReading>,
): AssetLink[] {
  const config = configById.get(asset);
  if (config === undefined) return [];
  // A follower trades against dollars in the model: it names its leader, not a quote.
  if (config.follows !== undefined) return [{ role: "follows", asset: config.follows.asset }];
  const quote =
    pools.get(asset)?.quote ??
    (config.liquidity.kind === "depth" || config.liquidity.kind === "infinite"
      ? config.liquidity.quote
      : undefined);
  return quote === undefined ? [] : [{ role: "quoted in", asset: quote }];
}

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
