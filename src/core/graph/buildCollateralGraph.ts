import { ORACLE_FIXED, ORACLE_MARKET } from "../book/book.js";
import { marketOracleId } from "../book/compileOracles.js";
import { type AssetId, asAssetId, asMarketId, type MarketId, PROTOCOLS, type Protocol } from "../ids.js";
import {
  aaveLiquidationHealthLimit,
  aaveReserveHold,
  takenAtSecondsOf,
} from "../rules/aaveLiquidationFlags.js";
import type { MarketData, SnapshotData } from "../snapshot/schema.js";
import { quoteOf } from "../snapshot/schema.js";
import type {
  AssetExposure,
  AssetMarket,
  AssetNode,
  AssetOracle,
  CollateralGraph,
  ExposureUsd,
  LiquidationHistogram,
} from "./collateralGraph.js";
import { addToHistogram, emptyLiquidationHistogram } from "./liquidationHistogram.js";
import { liquidationPrice } from "./liquidationPrice.js";
import { oracleReports, oracleSensitivity, type PriceForest, priceForestOf } from "./oracleSensitivity.js";
import { positionTerms } from "./positionTerms.js";
import { priceLinks } from "./priceLinks.js";

export interface BuildCollateralGraphOptions {
  /** Width of a liquidation-price bucket, as a fraction of the snapshot price (default 0.01). */
  readonly bucketStep?: number;
}

/**
 * Builds the collateral graph of a validated snapshot: per asset, its exposure (collateral and
 * debt USD at snapshot prices, by protocol and by market), the markets that name it, its
 * `follows` links, and the histogram of the prices at which its holders become liquidatable.
 *
 * Liquidation prices: for each position holding the asset as collateral, the whole position is
 * judged at oracle reports (every collateral and debt, Aave eMode thresholds and Aave V4 dynamic
 * configurations applied); the asset's market price moves, the reports that depend on it move
 * with it (`oracleSensitivity`), every other report stays.
 */
export function buildCollateralGraph(
  snapshot: SnapshotData,
  options: BuildCollateralGraphOptions = {},
): CollateralGraph {
  const step = options.bucketStep ?? 0.01;
  const prices = new Map(snapshot.assets.map((a) => [a.id, a.priceUsd]));
  const links = priceLinks(snapshot.assets);
  const marketsById = new Map(snapshot.markets.map((m) => [m.id, m]));
  const exposures = new Map<string, AssetExposure>();
  const histograms = new Map<string, LiquidationHistogram>();
  const forest = priceForestOf(snapshot);
  const reports = oracleReports(forest);
  const moves = new Map<string, Map<string, number>>();
  for (const asset of snapshot.assets) {
    exposures.set(asset.id, { ...emptyExposure(), byProtocol: {}, byMarket: {} });
    histograms.set(asset.id, emptyLiquidationHistogram(asset.priceUsd, step));
    moves.set(asset.id, oracleSensitivity(forest, forest.assets.indexOf.get(asset.id)!));
  }

  for (const position of snapshot.positions) {
    const market = marketsById.get(position.market);
    if (market === undefined) continue;
    const terms = positionTerms(position, market);
    let debtUsd = 0;
    for (const term of terms.debt) debtUsd += term.amount * (prices.get(term.asset) ?? 0);
    const marketId = asMarketId(market.id);
    for (const term of terms.debt) {
      addExposure(
        exposures.get(term.asset),
        market.protocol,
        marketId,
        0,
        term.amount * (prices.get(term.asset) ?? 0),
      );
    }
    for (const term of terms.collateral) {
      const priceUsd = prices.get(term.asset) ?? 0;
      const collateralUsd = term.amount * priceUsd;
      // A position with the asset on both sides counts once among the asset's positions.
      const alsoDebt = terms.debt.some((d) => d.asset === term.asset);
      addExposure(exposures.get(term.asset), market.protocol, marketId, collateralUsd, 0, alsoDebt ? 0 : 1);
      const histogram = histograms.get(term.asset);
      const betas = moves.get(term.asset);
      if (histogram === undefined || betas === undefined) continue;
      const at = liquidationPrice(terms, term.asset, reports, betas, priceUsd);
      addToHistogram(histogram, priceUsd, at, collateralUsd, debtUsd);
    }
  }

  const roles = marketRoles(snapshot.markets, takenAtSecondsOf(snapshot.source.takenAt));
  const oraclesOf = assetOracles(snapshot.markets, forest, moves);
  const assets: AssetNode[] = snapshot.assets.map((asset) => {
    const markets = roles.get(asset.id) ?? [];
    const exposure = exposures.get(asset.id) ?? { ...emptyExposure(), byProtocol: {}, byMarket: {} };
    const a = forest.assets.indexOf.get(asset.id)!;
    return {
      asset: asAssetId(asset.id),
      priceUsd: asset.priceUsd,
      quote: quoteOf(asset),
      depth: forest.assets.depth[a]!,
      quotedBy: snapshot.assets.filter((b) => quoteOf(b) === asset.id).map((b) => asAssetId(b.id)),
      liquidity: asset.liquidity.kind,
      oracles: oraclesOf.get(asset.id) ?? [],
      leaders: links.get(asset.id)?.leaders ?? [],
      followers: links.get(asset.id)?.followers ?? [],
      markets,
      protocols: PROTOCOLS.filter((p) => markets.some((m) => m.protocol === p)),
      exposure: { ...exposure, byMarket: sortedByKey(exposure.byMarket) },
      liquidationPrices: histograms.get(asset.id) ?? emptyLiquidationHistogram(asset.priceUsd, step),
    };
  });
  return { assets };
}

const emptyExposure = (): ExposureUsd => ({ positions: 0, collateralUsd: 0, debtUsd: 0 });

const ORACLE_KIND_NAMES = ["market", "rate", "fixed"] as const;

/** Per asset id: the oracles markets read for it (either side), with the markets that read each. */
function assetOracles(
  markets: readonly MarketData[],
  forest: PriceForest,
  moves: ReadonlyMap<string, ReadonlyMap<string, number>>,
): Map<string, AssetOracle[]> {
  const readers = new Map<string, Map<string, Set<string>>>();
  const add = (asset: string, oracle: string, market: string): void => {
    const byOracle = readers.get(asset) ?? new Map<string, Set<string>>();
    readers.set(asset, byOracle);
    const set = byOracle.get(oracle) ?? new Set<string>();
    byOracle.set(oracle, set);
    set.add(market);
  };
  for (const market of markets) {
    for (const [asset, role] of marketRoles([market])) {
      for (const { role: r } of role) {
        const sides =
          r === "reserve"
            ? (["collateral", "debt"] as const)
            : r === "collateral"
              ? (["collateral"] as const)
              : (["debt"] as const);
        for (const side of sides) add(asset, marketOracleId(market, asset, side), market.id);
      }
    }
  }
  const { oracles } = forest;
  const out = new Map<string, AssetOracle[]>();
  for (const [asset, byOracle] of readers) {
    const list: AssetOracle[] = [];
    for (const [oracle, set] of [...byOracle].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const o = oracles.indexOf.get(oracle)!;
      const kind = oracles.kind[o]!;
      list.push({
        oracle,
        kind: ORACLE_KIND_NAMES[kind === ORACLE_MARKET ? 0 : kind === ORACLE_FIXED ? 2 : 1],
        reportUsd: oracles.reportedUsd[o]!,
        sensitivity: moves.get(asset)?.get(oracle) ?? 0,
        markets: [...set].sort().map((id) => asMarketId(id)),
      });
    }
    out.set(asset, list);
  }
  return out;
}

function addExposure(
  exposure: AssetExposure | undefined,
  protocol: Protocol,
  market: MarketId,
  collateralUsd: number,
  debtUsd: number,
  positions = 1,
): void {
  if (exposure === undefined) return;
  const byProtocol = exposure.byProtocol[protocol] ?? emptyExposure();
  exposure.byProtocol[protocol] = byProtocol;
  const byMarket = exposure.byMarket[market] ?? { protocol, ...emptyExposure() };
  exposure.byMarket[market] = byMarket;
  for (const target of [exposure, byProtocol, byMarket]) {
    target.positions += positions;
    target.collateralUsd += collateralUsd;
    target.debtUsd += debtUsd;
  }
}

function sortedByKey<T>(record: Record<MarketId, T>): Record<MarketId, T> {
  const keys = Object.keys(record).sort() as MarketId[];
  const out = {} as Record<MarketId, T>;
  for (const key of keys) out[key] = record[key] as T;
  return out;
}

/** Markets naming each asset, sorted by market id. */
function marketRoles(
  markets: readonly MarketData[],
  takenAtSeconds?: number | undefined,
): Map<string, AssetMarket[]> {
  const roles = new Map<string, AssetMarket[]>();
  const add = (
    asset: string,
    market: MarketData,
    role: AssetMarket["role"],
    flags: Pick<AssetMarket, "hold" | "frozen"> = {},
  ): void => {
    const list = roles.get(asset) ?? [];
    list.push({ market: asMarketId(market.id), protocol: market.protocol, role, ...flags });
    roles.set(asset, list);
  };
  for (const market of markets) {
    if (market.protocol === "aave-v3") {
      const limit = aaveLiquidationHealthLimit(market);
      for (const [asset, reserve] of Object.entries(market.reserves)) {
        const hold =
          aaveReserveHold(reserve, takenAtSeconds) ??
          (limit < 1 ? { reason: "sentinel" as const, belowHealthFactor: limit } : undefined);
        add(asset, market, "reserve", {
          ...(hold === undefined ? {} : { hold }),
          ...(reserve.frozen === true ? { frozen: true as const } : {}),
        });
      }
    } else if (market.protocol === "aave-v4") {
      for (const asset of Object.keys(market.reserves)) add(asset, market, "reserve");
    } else if (market.protocol === "morpho-blue") {
      add(market.collateral, market, "collateral");
      add(market.loan, market, "loan");
    } else {
      add(market.base, market, "base");
      for (const asset of Object.keys(market.collaterals)) add(asset, market, "collateral");
    }
  }
  for (const list of roles.values())
    list.sort((a, b) => (a.market < b.market ? -1 : a.market > b.market ? 1 : 0));
  return roles;
}

/** The node of one asset, or undefined when the snapshot does not list it. */
export function assetNode(graph: CollateralGraph, asset: AssetId | string): AssetNode | undefined {
  return graph.assets.find((node) => node.asset === asset);
}

/** Assets named by two or more markets: a fall in one spreads through all of them. */
export function sharedAssets(graph: CollateralGraph): AssetNode[] {
  return graph.assets.filter((node) => node.markets.length > 1);
}
