/**
 * The rules of `cascade-snapshot/1` that join fields: every named asset is listed, a pool
 * agrees with its price, `follows` is acyclic, ids are unique, each position fits its market.
 * Returns the error naming the first bad field in document order, or undefined.
 */
import { SnapshotError } from "../errors.js";
import type { AssetData, MarketData, PositionData, SnapshotData } from "./schema.js";

/** Relative tolerance between a pool's `reserveUsd / reserveAsset` and `priceUsd`. */
export const POOL_PRICE_TOLERANCE = 1e-9;

const quote = (value: string): string => JSON.stringify(value);

function checkAssets(assets: readonly AssetData[]): SnapshotError | undefined {
  const byId = new Map<string, number>();
  for (const [i, asset] of assets.entries()) {
    const first = byId.get(asset.id);
    if (first !== undefined) {
      return new SnapshotError(
        `assets[${i}].id`,
        `duplicate asset id ${quote(asset.id)} (first at assets[${first}])`,
      );
    }
    byId.set(asset.id, i);
  }
  for (const [i, asset] of assets.entries()) {
    const liquidity = asset.liquidity;
    if (liquidity.kind === "pool") {
      const poolPrice = liquidity.reserveUsd / liquidity.reserveAsset;
      if (Math.abs(poolPrice - asset.priceUsd) > POOL_PRICE_TOLERANCE * asset.priceUsd) {
        return new SnapshotError(
          `assets[${i}].priceUsd`,
          `${asset.priceUsd} differs from the pool price reserveUsd / reserveAsset = ${poolPrice} (tolerance 1e-9 relative)`,
        );
      }
    }
    if (asset.follows !== undefined && !byId.has(asset.follows.asset)) {
      return new SnapshotError(`assets[${i}].follows.asset`, `unknown asset ${quote(asset.follows.asset)}`);
    }
  }
  for (const [i, asset] of assets.entries()) {
    // Walk the leader chain; coming back to a visited asset is a cycle.
    const seen: string[] = [asset.id];
    let leader = asset.follows?.asset;
    while (leader !== undefined) {
      if (seen.includes(leader)) {
        return new SnapshotError(`assets[${i}].follows`, `cycle ${[...seen, leader].join(" -> ")}`);
      }
      seen.push(leader);
      leader = assets[byId.get(leader) ?? -1]?.follows?.asset;
    }
  }
  return undefined;
}

function checkMarket(market: MarketData, at: string, listed: ReadonlySet<string>): SnapshotError | undefined {
  const unknown = (path: string, asset: string) => new SnapshotError(path, `unknown asset ${quote(asset)}`);
  switch (market.protocol) {
    case "aave-v3": {
      for (const asset of Object.keys(market.reserves)) {
        if (!listed.has(asset)) return unknown(`${at}.reserves.${asset}`, asset);
      }
      for (const [category, emode] of Object.entries(market.emodes)) {
        for (const [k, asset] of emode.assets.entries()) {
          if (!listed.has(asset)) return unknown(`${at}.emodes.${category}.assets[${k}]`, asset);
        }
      }
      return undefined;
    }
    case "morpho-blue":
      if (!listed.has(market.collateral)) return unknown(`${at}.collateral`, market.collateral);
      if (!listed.has(market.loan)) return unknown(`${at}.loan`, market.loan);
      return undefined;
    case "compound-v3":
      if (!listed.has(market.base)) return unknown(`${at}.base`, market.base);
      for (const asset of Object.keys(market.collaterals)) {
        if (!listed.has(asset)) return unknown(`${at}.collaterals.${asset}`, asset);
      }
      return undefined;
  }
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
  return undefined;
}

export function checkCrossFields(snapshot: SnapshotData): SnapshotError | undefined {
  const assetError = checkAssets(snapshot.assets);
  if (assetError !== undefined) return assetError;
  const listed = new Set(snapshot.assets.map((a) => a.id));
  const markets = new Map<string, MarketData>();
  for (const [i, market] of snapshot.markets.entries()) {
    if (markets.has(market.id))
      return new SnapshotError(`markets[${i}].id`, `duplicate market id ${quote(market.id)}`);
    markets.set(market.id, market);
    const error = checkMarket(market, `markets[${i}]`, listed);
    if (error !== undefined) return error;
  }
  // Per-market account sets hold references to the existing strings: no per-position allocation.
  const accounts = new Map<string, Map<string, number>>();
  for (let i = 0; i < snapshot.positions.length; i++) {
    const position = snapshot.positions[i]!;
    const at = `positions[${i}]`;
    const market = markets.get(position.market);
    if (market === undefined)
      return new SnapshotError(`${at}.market`, `unknown market ${quote(position.market)}`);
    const error = checkPositionAssets(position, market, at, listed);
    if (error !== undefined) return error;
    let seen = accounts.get(position.market);
    if (seen === undefined) {
      seen = new Map();
      accounts.set(position.market, seen);
    }
    const first = seen.get(position.account);
    if (first !== undefined) {
      return new SnapshotError(
        `${at}.account`,
        `duplicate position of ${quote(position.account)} in market ${quote(position.market)} (first at positions[${first}])`,
      );
    }
    seen.set(position.account, i);
  }
  return undefined;
}
