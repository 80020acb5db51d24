/**
 * Compiles the oracles (docs/cascade-model.md, section 3): every entry of `oracles`, plus the
 * implicit `{kind: "market", asset: a}` of each asset `a` that `oracles` does not name.
 */
import type { MarketData } from "../snapshot/schema.js";
import type { Snapshot } from "../snapshot/snapshot.js";
import { type BookAssets, type BookOracles, ORACLE_FIXED, ORACLE_MARKET, ORACLE_RATE } from "./book.js";
import { orderAfter } from "./compileAssets.js";

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The oracle id a market reads for `asset` on one side: its own field, else the asset's oracle. */
export function marketOracleId(market: MarketData, asset: string, side: "collateral" | "debt"): string {
  switch (market.protocol) {
    case "aave-v3":
    case "aave-v4":
      return market.reserves[asset]?.oracle ?? asset;
    case "morpho-blue":
      return (side === "collateral" ? market.collateralOracle : market.loanOracle) ?? asset;
    case "compound-v3":
      return asset === market.base && side === "debt"
        ? (market.baseOracle ?? asset)
        : (market.collaterals[asset]?.oracle ?? asset);
  }
}

/** Every (asset, side) a market names. */
function namedAssets(market: MarketData): Array<[string, "collateral" | "debt"]> {
  switch (market.protocol) {
    case "aave-v3":
    case "aave-v4":
      return Object.keys(market.reserves).flatMap((a) => [
        [a, "collateral"],
        [a, "debt"],
      ]);
    case "morpho-blue":
      return [
        [market.collateral, "collateral"],
        [market.loan, "debt"],
      ];
    case "compound-v3":
      return [
        [market.base, "debt"],
        ...Object.keys(market.collaterals).map((a) => [a, "collateral"] as [string, "collateral"]),
      ];
  }
}

export function compileOracles(snapshot: Snapshot, assets: BookAssets): BookOracles {
  const ids = [...new Set([...Object.keys(snapshot.oracles), ...assets.ids])].sort(byString);
  const count = ids.length;
  const indexOf = new Map(ids.map((id, o) => [id, o] as const));
  const kind = new Uint8Array(count);
  const asset = new Int32Array(count).fill(-1);
  const source = new Int32Array(count).fill(-1);
  const scale = new Float64Array(count).fill(1);
  const deviation = new Float64Array(count);
  const reportedUsd = new Float64Array(count);
  for (const [o, id] of ids.entries()) {
    const entry = Object.hasOwn(snapshot.oracles, id) ? snapshot.oracles[id] : undefined;
    if (entry === undefined || entry.kind === "market") {
      kind[o] = ORACLE_MARKET;
      const a = assets.indexOf.get(entry?.asset ?? id)!;
      asset[o] = a;
      scale[o] = entry?.scale ?? 1;
      deviation[o] = entry?.deviation ?? 0;
      reportedUsd[o] = entry?.reportedUsd ?? scale[o]! * assets.priceUsd[a]!;
    } else if (entry.kind === "rate") {
      kind[o] = ORACLE_RATE;
      source[o] = indexOf.get(entry.oracle)!;
      scale[o] = entry.scale;
    } else {
      kind[o] = ORACLE_FIXED;
      reportedUsd[o] = entry.priceUsd;
    }
  }
  const updateOrder = orderAfter(count, (o) => [source[o]!]);
  for (const o of updateOrder)
    if (kind[o] === ORACLE_RATE) reportedUsd[o] = scale[o]! * reportedUsd[source[o]!]!;
  const reported = new Set<number>();
  for (const market of snapshot.markets) {
    for (const [a, side] of namedAssets(market)) reported.add(indexOf.get(marketOracleId(market, a, side))!);
  }
  return {
    count,
    ids,
    indexOf,
    kind,
    asset,
    source,
    scale,
    deviation,
    reportedUsd,
    updateOrder,
    ofAsset: Int32Array.from(assets.ids, (id) => indexOf.get(id)!),
    reported: Int32Array.from([...reported].sort((a, b) => a - b)),
  };
}
