/**
 * Compiles the snapshot's assets: quote forest, pools (constant product, depth as its
 * equivalent pool, concentrated ranges), leaders, and the two orders a step needs.
 */
import { SnapshotError } from "../errors.js";
import { asAssetId } from "../ids.js";
import { poolFromDepth } from "../liquidity/constantProduct.js";
import { quoteOf, USD } from "../snapshot/schema.js";
import type { Snapshot } from "../snapshot/snapshot.js";
import { type BookAssets, LIQUIDITY_CONCENTRATED, LIQUIDITY_INFINITE, LIQUIDITY_POOL } from "./book.js";

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A topological order of `0 .. n-1` where every node comes after the nodes `parents(i)` names
 * (-1 = none); among ready nodes the smaller index first. The snapshot refuses cycles.
 */
export function orderAfter(n: number, parents: (i: number) => readonly number[]): Int32Array {
  const placed = new Uint8Array(n);
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    let next = -1;
    for (let i = 0; i < n && next < 0; i++) {
      if (placed[i] === 1) continue;
      if (parents(i).every((p) => p < 0 || placed[p] === 1)) next = i;
    }
    if (next < 0) throw new SnapshotError("", "a cycle of quotes, leaders or rate oracles");
    placed[next] = 1;
    order[k] = next;
  }
  return order;
}

export function compileAssets(snapshot: Snapshot): BookAssets {
  const sorted = [...snapshot.assets].sort((a, b) => byString(a.id, b.id));
  const count = sorted.length;
  const indexOf = new Map(sorted.map((a, i) => [a.id, i] as const));
  const priceUsd = Float64Array.from(sorted, (a) => a.priceUsd);
  const quote = Int32Array.from(sorted, (a) => {
    const q = quoteOf(a);
    return q === USD ? -1 : indexOf.get(q)!;
  });
  const depth = new Int32Array(count);
  const depthOf = (a: number): number => {
    if (depth[a]! === 0) depth[a] = quote[a]! < 0 ? 1 : 1 + depthOf(quote[a]!);
    return depth[a]!;
  };
  for (let a = 0; a < count; a++) depthOf(a);
  const poolPrice = Float64Array.from(
    sorted,
    (asset, a) => asset.priceUsd / (quote[a]! < 0 ? 1 : priceUsd[quote[a]!]!),
  );
  const liquidityKind = new Uint8Array(count);
  const poolAsset = new Float64Array(count).fill(Number.NaN);
  const poolQuote = new Float64Array(count).fill(Number.NaN);
  const feeRate = new Float64Array(count);
  const rangeStart = new Int32Array(count + 1);
  const sqrtLower: number[] = [];
  const sqrtUpper: number[] = [];
  const rangeLiquidity: number[] = [];
  const leader = new Int32Array(count).fill(-1);
  const beta = new Float64Array(count);
  for (const [a, asset] of sorted.entries()) {
    const liquidity = asset.liquidity;
    if (liquidity.kind === "infinite") {
      liquidityKind[a] = LIQUIDITY_INFINITE;
    } else if (liquidity.kind === "concentrated") {
      liquidityKind[a] = LIQUIDITY_CONCENTRATED;
      feeRate[a] = liquidity.feeBps / 10_000;
      for (const range of [...liquidity.ranges].sort((r, s) => r.lower - s.lower)) {
        sqrtLower.push(Math.sqrt(range.lower));
        sqrtUpper.push(Math.sqrt(range.upper));
        rangeLiquidity.push(range.liquidity);
      }
    } else {
      liquidityKind[a] = LIQUIDITY_POOL;
      feeRate[a] = liquidity.feeBps / 10_000;
      if (liquidity.kind === "pool") {
        poolAsset[a] = liquidity.reserveAsset;
        poolQuote[a] = liquidity.reserveQuote ?? liquidity.reserveUsd ?? Number.NaN;
      } else {
        const pool = poolFromDepth(asset.priceUsd, liquidity.depthUsd, liquidity.depthPct);
        poolAsset[a] = pool.x;
        poolQuote[a] = pool.x * poolPrice[a]!;
      }
    }
    rangeStart[a + 1] = rangeLiquidity.length;
    if (asset.follows !== undefined) {
      leader[a] = indexOf.get(asset.follows.asset)!;
      beta[a] = asset.follows.beta;
    }
  }
  const dependencyOrder = orderAfter(count, (a) => [quote[a]!, leader[a]!]);
  const tradeOrder = Int32Array.from({ length: count }, (_, a) => a).sort(
    (a, b) => depth[b]! - depth[a]! || a - b,
  );
  return {
    count,
    ids: sorted.map((a) => asAssetId(a.id)),
    indexOf,
    priceUsd,
    quote,
    depth,
    poolPrice,
    liquidityKind,
    poolAsset,
    poolQuote,
    feeRate,
    rangeStart,
    rangeSqrtLower: Float64Array.from(sqrtLower),
    rangeSqrtUpper: Float64Array.from(sqrtUpper),
    rangeLiquidity: Float64Array.from(rangeLiquidity),
    leader,
    beta,
    dependencyOrder,
    tradeOrder,
  };
}
