/**
 * Seeded random block changes of a snapshot, as the sync produces them: changed, new and closed
 * positions, and now and then a new header (prices, oracle reports, pools and market parameters
 * moved, pools kept at their prices). With `invalid`, some changes carry one bad field.
 */
import type { Prng } from "../../src/core/random/createPrng.js";
import type { PositionData } from "../../src/core/snapshot/schema.js";
import type { Snapshot } from "../../src/core/snapshot/snapshot.js";
import { headerOf, type PositionKey, type SnapshotChanges } from "../../src/core/snapshot/snapshotChanges.js";

export interface RandomChangeOptions {
  /** Positions changed, opened and closed (together). */
  readonly touched: number;
  /** Probability of a new header (prices, oracles, markets). */
  readonly headerChance: number;
  /** Probability that the changes carry one invalid field. */
  readonly invalidChance: number;
  /** In a new header, the probability that a market's risk parameters move (default 0.15). */
  readonly marketChance?: number;
  /** Probability that the header lists one asset more (the book is compiled from scratch). */
  readonly structureChance?: number;
}

const scaled = (prng: Prng, amounts: Readonly<Record<string, number>>): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const [asset, amount] of Object.entries(amounts)) {
    const r = prng.next();
    if (r < 0.1) continue; // the asset leaves the position
    out[asset] = r < 0.15 ? 0 : amount * prng.uniform(0.3, 1.7);
  }
  return out;
};

function movedHeader(prng: Prng, snapshot: Snapshot, marketChance: number): Record<string, unknown> {
  const header = structuredClone(headerOf(snapshot)) as ReturnType<typeof headerOf> & {
    assets: Array<Snapshot["assets"][number]>;
  };
  const price = new Map(header.assets.map((a) => [a.id, a.priceUsd] as const));
  for (const asset of header.assets) {
    if (prng.next() < 0.4) {
      asset.priceUsd *= prng.uniform(0.9, 1.1);
      price.set(asset.id, asset.priceUsd);
    }
  }
  // Pools follow their prices (a pool's reserves must agree with them).
  for (const asset of header.assets) {
    const liquidity = asset.liquidity;
    if (liquidity.kind !== "pool") continue;
    const quotePrice =
      liquidity.quote === undefined || liquidity.quote === "USD" ? 1 : price.get(liquidity.quote)!;
    const reserveQuote = (liquidity.reserveAsset * asset.priceUsd) / quotePrice;
    if (liquidity.reserveUsd !== undefined) liquidity.reserveUsd = reserveQuote;
    else liquidity.reserveQuote = reserveQuote;
  }
  for (const oracle of Object.values(header.oracles)) {
    if (oracle.kind === "market" && prng.next() < 0.3) oracle.deviation = prng.uniform(0, 0.01);
  }
  for (const market of header.markets) {
    if (prng.next() < 0.2) market.liquidationGasUsd = prng.uniform(0, 30);
    if (prng.next() >= marketChance) continue;
    switch (market.protocol) {
      case "aave-v3":
        for (const reserve of Object.values(market.reserves))
          reserve.liquidationThreshold *= prng.uniform(0.97, 1);
        break;
      case "morpho-blue":
        market.lltv *= prng.uniform(0.97, 1);
        break;
      case "compound-v3":
        for (const c of Object.values(market.collaterals))
          c.liquidateCollateralFactor *= prng.uniform(0.97, 1);
        break;
      case "aave-v4":
        for (const reserve of Object.values(market.reserves))
          reserve.collateralFactor *= prng.uniform(0.97, 1);
        break;
    }
  }
  return header;
}

/** Changes of one block to `snapshot` (validated), drawn from `prng`. */
export function randomSnapshotChanges(
  prng: Prng,
  snapshot: Snapshot,
  options: RandomChangeOptions,
  block: number,
): SnapshotChanges {
  const list = snapshot.positions;
  const pickPosition = (): PositionData => list[Math.floor(prng.next() * list.length)]!;
  const upserts: unknown[] = [];
  const closed: PositionKey[] = [];
  for (let k = 0; k < options.touched && list.length > 0; k++) {
    const r = prng.next();
    const p = pickPosition();
    if (r < 0.5) upserts.push({ ...p, collateral: scaled(prng, p.collateral), debt: scaled(prng, p.debt) });
    else if (r < 0.75) {
      upserts.push({ ...p, account: `0xnew${block}n${k}`, debt: scaled(prng, p.debt) });
    } else if (r < 0.95) closed.push({ market: p.market, account: p.account });
    else closed.push({ market: p.market, account: "0xnever-opened" });
  }
  let header: Record<string, unknown> | undefined =
    prng.next() < options.headerChance
      ? movedHeader(prng, snapshot, options.marketChance ?? 0.15)
      : undefined;
  if (prng.next() < (options.structureChance ?? 0)) {
    header ??= structuredClone(headerOf(snapshot)) as Record<string, unknown>;
    header.assets = [...(header.assets as unknown[]), { id: `NEW${block}`, priceUsd: 2 }];
  }
  if (prng.next() < options.invalidChance) {
    const p = pickPosition();
    const kind = Math.floor(prng.next() * 5);
    if (kind === 0) upserts.push({ ...p, debt: { ...p.debt, [Object.keys(p.debt)[0] ?? "WETH"]: -1 } });
    else if (kind === 1) upserts.push({ ...p, collateral: { ...p.collateral, NOT_AN_ASSET: 1 } });
    else if (kind === 2) upserts.push({ ...p, account: "0xlost", market: "no-such-market" });
    else if (kind === 3)
      upserts.splice(Math.floor(prng.next() * (upserts.length + 1)), 0, { ...p, colateral: {} });
    else {
      header ??= structuredClone(headerOf(snapshot)) as Record<string, unknown>;
      const assets = header.assets as Array<{ priceUsd: number }>;
      assets[Math.floor(prng.next() * assets.length)]!.priceUsd = -1;
    }
  }
  return { ...(header === undefined ? {} : { header }), upserts, closed };
}
