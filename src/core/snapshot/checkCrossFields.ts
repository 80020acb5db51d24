/**
 * The rules of `cascade-snapshot/2` that join fields (docs/cascade-model.md, section 1): every
 * named asset and oracle is listed, a pool agrees with its prices, no cycle runs through `quote`,
 * `follows` or `rate` oracles, concentrated ranges are disjoint, Aave V4 parameters keep the
 * protocol's solvency constraint, each position fits its market.
 * Returns the error naming the first bad field in document order, or undefined.
 */

import { SnapshotError } from "../errors.js";
import { reserveUnderDynamicConfig } from "./aaveV4DynamicConfig.js";
import {
  type AssetData,
  type MarketData,
  type OracleData,
  type PositionData,
  quoteOf,
  type SnapshotData,
  USD,
} from "./schema.js";

/** Relative tolerance between a pool's reserve ratio and `priceUsd / priceUsd of its quote`. */
export const POOL_PRICE_TOLERANCE = 1e-9;

const quote = (value: string): string => JSON.stringify(value);

function checkLiquidity(
  asset: AssetData,
  at: string,
  byId: ReadonlyMap<string, AssetData>,
): SnapshotError | undefined {
  const liquidity = asset.liquidity;
  const quoteId = quoteOf(asset);
  const quoteAsset = byId.get(quoteId);
  if (quoteId !== USD && quoteAsset === undefined) {
    return new SnapshotError(`${at}.liquidity.quote`, `unknown asset ${quote(quoteId)}`);
  }
  const quotePriceUsd = quoteAsset?.priceUsd ?? 1;
  if (liquidity.kind === "pool") {
    if (liquidity.reserveQuote !== undefined && liquidity.reserveUsd !== undefined) {
      return new SnapshotError(`${at}.liquidity.reserveUsd`, "give reserveQuote or reserveUsd, not both");
    }
    if (liquidity.reserveUsd !== undefined && quoteId !== USD) {
      return new SnapshotError(
        `${at}.liquidity.reserveUsd`,
        `the pool trades against ${quote(quoteId)}: give reserveQuote in its units`,
      );
    }
    const reserveQuote = liquidity.reserveQuote ?? liquidity.reserveUsd;
    if (reserveQuote === undefined) return new SnapshotError(`${at}.liquidity.reserveQuote`, "missing");
    const field = liquidity.reserveQuote === undefined ? "reserveUsd" : "reserveQuote";
    const poolPrice = reserveQuote / liquidity.reserveAsset;
    const expected = asset.priceUsd / quotePriceUsd;
    if (Math.abs(poolPrice - expected) > POOL_PRICE_TOLERANCE * expected) {
      const inQuote =
        quoteId === USD ? "" : ` / ${quotePriceUsd} (the price of ${quote(quoteId)}) = ${expected}`;
      return new SnapshotError(
        `${at}.priceUsd`,
        `${asset.priceUsd}${inQuote} differs from the pool price ${field} / reserveAsset = ${poolPrice} (tolerance 1e-9 relative)`,
      );
    }
  }
  if (liquidity.kind === "concentrated") {
    const order = liquidity.ranges.map((_, k) => k);
    for (const k of order) {
      const range = liquidity.ranges[k]!;
      if (!(range.lower >= 0 && range.lower < range.upper)) {
        return new SnapshotError(
          `${at}.liquidity.ranges[${k}]`,
          `needs 0 <= lower < upper, got lower ${range.lower}, upper ${range.upper}`,
        );
      }
    }
    order.sort((a, b) => liquidity.ranges[a]!.lower - liquidity.ranges[b]!.lower || a - b);
    for (let n = 1; n < order.length; n++) {
      const before = liquidity.ranges[order[n - 1]!]!;
      const k = order[n]!;
      if (liquidity.ranges[k]!.lower < before.upper) {
        return new SnapshotError(
          `${at}.liquidity.ranges[${Math.max(k, order[n - 1]!)}]`,
          `overlaps ranges[${Math.min(k, order[n - 1]!)}] (ranges of one pool must be disjoint)`,
        );
      }
    }
  }
  return undefined;
}

/** An asset's dependencies: its quote (unless USD) and its leader. */
function dependenciesOf(asset: AssetData): string[] {
  const out: string[] = [];
  const quoteId = quoteOf(asset);
  if (quoteId !== USD) out.push(quoteId);
  if (asset.follows !== undefined) out.push(asset.follows.asset);
  return out;
}

/** A cycle through `quote` and `follows` links back to `start` (`[a, b, a]`), or undefined. */
function findAssetCycle(start: AssetData, byId: ReadonlyMap<string, AssetData>): string[] | undefined {
  // Depth-first from `start`; the graph is small (tens of assets).
  const path: string[] = [start.id];
  const visit = (asset: AssetData): string[] | undefined => {
    for (const next of dependenciesOf(asset)) {
      if (next === start.id) return [...path, next];
      if (path.includes(next)) continue;
      const nextAsset = byId.get(next);
      if (nextAsset === undefined) continue;
      path.push(next);
      const found = visit(nextAsset);
      path.pop();
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return visit(start);
}

function checkAssets(assets: readonly AssetData[]): SnapshotError | undefined {
  const byId = new Map<string, AssetData>();
  const indexOf = new Map<string, number>();
  for (const [i, asset] of assets.entries()) {
    if (asset.id === USD) {
      return new SnapshotError(`assets[${i}].id`, `${quote(USD)} is the numeraire, not an asset id`);
    }
    const first = indexOf.get(asset.id);
    if (first !== undefined) {
      return new SnapshotError(
        `assets[${i}].id`,
        `duplicate asset id ${quote(asset.id)} (first at assets[${first}])`,
      );
    }
    byId.set(asset.id, asset);
    indexOf.set(asset.id, i);
  }
  for (const [i, asset] of assets.entries()) {
    const error = checkLiquidity(asset, `assets[${i}]`, byId);
    if (error !== undefined) return error;
    if (asset.follows !== undefined) {
      if (!byId.has(asset.follows.asset)) {
        return new SnapshotError(`assets[${i}].follows.asset`, `unknown asset ${quote(asset.follows.asset)}`);
      }
      if (quoteOf(asset) !== USD) {
        return new SnapshotError(
          `assets[${i}].follows`,
          `only an asset quoted in USD may follow another; ${quote(asset.id)} trades against ${quote(quoteOf(asset))} and moves with it already`,
        );
      }
    }
  }
  for (const [i, asset] of assets.entries()) {
    const cycle = findAssetCycle(asset, byId);
    if (cycle !== undefined) {
      // Name the link the cycle leaves this asset by.
      const field = cycle[1] === quoteOf(asset) ? "liquidity.quote" : "follows";
      return new SnapshotError(`assets[${i}].${field}`, `cycle ${cycle.join(" -> ")}`);
    }
  }
  return undefined;
}

/** `oracles` entries: known assets and oracles, no cycle of `rate` oracles. */
function checkOracles(
  oracles: Readonly<Record<string, OracleData>>,
  listed: ReadonlySet<string>,
): SnapshotError | undefined {
  const isOracle = (id: string): boolean => Object.hasOwn(oracles, id) || listed.has(id);
  for (const [id, oracle] of Object.entries(oracles)) {
    if (oracle.kind === "market" && !listed.has(oracle.asset)) {
      return new SnapshotError(`oracles.${id}.asset`, `unknown asset ${quote(oracle.asset)}`);
    }
    if (oracle.kind === "rate" && !isOracle(oracle.oracle)) {
      return new SnapshotError(
        `oracles.${id}.oracle`,
        `unknown oracle ${quote(oracle.oracle)} (neither an entry of oracles nor an asset id)`,
      );
    }
  }
  for (const [id, oracle] of Object.entries(oracles)) {
    if (oracle.kind !== "rate") continue;
    const seen = [id];
    let next: OracleData | undefined = oracle;
    while (next?.kind === "rate") {
      const source: string = next.oracle;
      if (seen.includes(source)) {
        return new SnapshotError(`oracles.${id}.oracle`, `cycle ${[...seen, source].join(" -> ")}`);
      }
      seen.push(source);
      next = Object.hasOwn(oracles, source) ? oracles[source] : undefined;
    }
  }
  return undefined;
}

/** `(1 + maxLiquidationBonus) × collateralFactor < 1`, Aave V4's own solvency constraint. */
export function breaksAaveV4Solvency(collateralFactor: number, maxLiquidationBonus: number): boolean {
  return (1 + maxLiquidationBonus) * collateralFactor >= 1;
}

function solvencyError(path: string, collateralFactor: number, maxLiquidationBonus: number): SnapshotError {
  const product = (1 + maxLiquidationBonus) * collateralFactor;
  return new SnapshotError(
    path,
    `(1 + maxLiquidationBonus) × collateralFactor = ${product} must be below 1 (Aave V4's solvency constraint)`,
  );
}

function checkMarket(
  market: MarketData,
  at: string,
  listed: ReadonlySet<string>,
  isOracle: (id: string) => boolean,
): SnapshotError | undefined {
  const unknown = (path: string, asset: string) => new SnapshotError(path, `unknown asset ${quote(asset)}`);
  const unknownOracle = (path: string, oracle: string | undefined) =>
    oracle !== undefined && !isOracle(oracle)
      ? new SnapshotError(
          path,
          `unknown oracle ${quote(oracle)} (neither an entry of oracles nor an asset id)`,
        )
      : undefined;
  switch (market.protocol) {
    case "aave-v3": {
      for (const [asset, reserve] of Object.entries(market.reserves)) {
        if (!listed.has(asset)) return unknown(`${at}.reserves.${asset}`, asset);
        const error = unknownOracle(`${at}.reserves.${asset}.oracle`, reserve.oracle);
        if (error !== undefined) return error;
      }
      for (const [category, emode] of Object.entries(market.emodes)) {
        for (const [k, asset] of emode.assets.entries()) {
          if (!listed.has(asset)) return unknown(`${at}.emodes.${category}.assets[${k}]`, asset);
        }
      }
      return undefined;
    }
    case "aave-v4": {
      for (const [asset, reserve] of Object.entries(market.reserves)) {
        if (!listed.has(asset)) return unknown(`${at}.reserves.${asset}`, asset);
        const error = unknownOracle(`${at}.reserves.${asset}.oracle`, reserve.oracle);
        if (error !== undefined) return error;
        if (breaksAaveV4Solvency(reserve.collateralFactor, reserve.maxLiquidationBonus)) {
          return solvencyError(
            `${at}.reserves.${asset}`,
            reserve.collateralFactor,
            reserve.maxLiquidationBonus,
          );
        }
      }
      return undefined;
    }
    case "morpho-blue":
      if (!listed.has(market.collateral)) return unknown(`${at}.collateral`, market.collateral);
      if (!listed.has(market.loan)) return unknown(`${at}.loan`, market.loan);
      return (
        unknownOracle(`${at}.collateralOracle`, market.collateralOracle) ??
        unknownOracle(`${at}.loanOracle`, market.loanOracle)
      );
    case "compound-v3": {
      if (!listed.has(market.base)) return unknown(`${at}.base`, market.base);
      const baseError = unknownOracle(`${at}.baseOracle`, market.baseOracle);
      if (baseError !== undefined) return baseError;
      for (const [asset, collateral] of Object.entries(market.collaterals)) {
        if (!listed.has(asset)) return unknown(`${at}.collaterals.${asset}`, asset);
        const error = unknownOracle(`${at}.collaterals.${asset}.oracle`, collateral.oracle);
        if (error !== undefined) return error;
      }
      return undefined;
    }
  }
}

function checkDynamicConfig(
  position: PositionData,
  market: MarketData,
  at: string,
): SnapshotError | undefined {
  const dynamicConfig = position.dynamicConfig;
  if (dynamicConfig === undefined) return undefined;
  if (market.protocol !== "aave-v4") {
    return new SnapshotError(`${at}.dynamicConfig`, "only aave-v4 positions have a dynamic configuration");
  }
  for (const [asset, entry] of Object.entries(dynamicConfig)) {
    const reserve = Object.hasOwn(market.reserves, asset) ? market.reserves[asset] : undefined;
    if (reserve === undefined) {
      return new SnapshotError(`${at}.dynamicConfig.${asset}`, `not a reserve of market ${quote(market.id)}`);
    }
    const { collateralFactor, maxLiquidationBonus } = reserveUnderDynamicConfig(reserve, entry);
    if (breaksAaveV4Solvency(collateralFactor, maxLiquidationBonus)) {
      return solvencyError(`${at}.dynamicConfig.${asset}`, collateralFactor, maxLiquidationBonus);
    }
  }
  return undefined;
}

function checkPositionAssets(
  position: PositionData,
  market: MarketData,
  at: string,
  listed: ReadonlySet<string>,
): SnapshotError | undefined {
  for (const side of ["collateral", "debt"] as const) {
    for (const asset in position[side]) {
      const path = `${at}.${side}.${asset}`;
      if (!listed.has(asset)) return new SnapshotError(path, `unknown asset ${quote(asset)}`);
      switch (market.protocol) {
        case "aave-v3":
        case "aave-v4":
          if (!Object.hasOwn(market.reserves, asset)) {
            return new SnapshotError(path, `not a reserve of market ${quote(market.id)}`);
          }
          break;
        case "morpho-blue": {
          const expected = side === "collateral" ? market.collateral : market.loan;
          if (asset !== expected) {
            return new SnapshotError(
              path,
              `market ${quote(market.id)} only takes ${quote(expected)} as ${side}`,
            );
          }
          break;
        }
        case "compound-v3":
          if (side === "debt" && asset !== market.base) {
            return new SnapshotError(
              path,
              `market ${quote(market.id)} only lends its base ${quote(market.base)}`,
            );
          }
          if (side === "collateral" && !Object.hasOwn(market.collaterals, asset)) {
            return new SnapshotError(path, `not a collateral of market ${quote(market.id)}`);
          }
          break;
      }
    }
  }
  const emode = position.emode ?? 0;
  if (emode !== 0) {
    if (market.protocol !== "aave-v3") {
      return new SnapshotError(`${at}.emode`, `only aave-v3 positions have an eMode (use 0 or leave it out)`);
    }
    if (!Object.hasOwn(market.emodes, String(emode))) {
      return new SnapshotError(
        `${at}.emode`,
        `eMode category ${emode} does not exist in market ${quote(market.id)}`,
      );
    }
  }
  return checkDynamicConfig(position, market, at);
}

/** What the position rules read from the rest of a snapshot: the listed assets and the markets by id. */
export interface PositionContext {
  readonly listed: ReadonlySet<string>;
  readonly markets: ReadonlyMap<string, MarketData>;
}

/** The rules of assets, oracles and markets; on success, what the position rules need. */
export function checkHeaderCrossFields(
  snapshot: Pick<SnapshotData, "assets" | "oracles" | "markets">,
): SnapshotError | PositionContext {
  const assetError = checkAssets(snapshot.assets);
  if (assetError !== undefined) return assetError;
  const listed = new Set(snapshot.assets.map((a) => a.id));
  const oracleError = checkOracles(snapshot.oracles, listed);
  if (oracleError !== undefined) return oracleError;
  const isOracle = (id: string): boolean => Object.hasOwn(snapshot.oracles, id) || listed.has(id);
  const markets = new Map<string, MarketData>();
  for (const [i, market] of snapshot.markets.entries()) {
    if (markets.has(market.id))
      return new SnapshotError(`markets[${i}].id`, `duplicate market id ${quote(market.id)}`);
    markets.set(market.id, market);
    const error = checkMarket(market, `markets[${i}]`, listed, isOracle);
    if (error !== undefined) return error;
  }
  return { listed, markets };
}

/** The rules of one position at `positions[index]` but the one against duplicates: its market exists and takes its assets. */
export function checkPositionFits(
  position: PositionData,
  index: number,
  context: PositionContext,
): SnapshotError | undefined {
  const at = `positions[${index}]`;
  const market = context.markets.get(position.market);
  if (market === undefined)
    return new SnapshotError(`${at}.market`, `unknown market ${quote(position.market)}`);
  return checkPositionAssets(position, market, at, context.listed);
}

export function checkCrossFields(snapshot: SnapshotData): SnapshotError | undefined {
  const context = checkHeaderCrossFields(snapshot);
  if (context instanceof SnapshotError) return context;
  // Per-market account sets hold references to the existing strings: no per-position allocation.
  const accounts = new Map<string, Map<string, number>>();
  for (let i = 0; i < snapshot.positions.length; i++) {
    const position = snapshot.positions[i]!;
    const error = checkPositionFits(position, i, context);
    if (error !== undefined) return error;
    let seen = accounts.get(position.market);
    if (seen === undefined) {
      seen = new Map();
      accounts.set(position.market, seen);
    }
    const first = seen.get(position.account);
    if (first !== undefined) {
      return new SnapshotError(
        `positions[${i}].account`,
        `duplicate position of ${quote(position.account)} in market ${quote(position.market)} (first at positions[${first}])`,
      );
    }
    seen.set(position.account, i);
  }
  return undefined;
}
