/**
 * The book as the metrics and the API show it: positions per market, collateral and debt USD per
 * market and asset at snapshot prices, and the positions whose health factor is below a bound.
 */

import type { BookSummary, LiquidationHoldRow } from "../../adapters/store/monitorResults.js";
import type { PositionAtRisk } from "../../core/alerts/monitorView.js";
import { oracleReports, priceForestOf } from "../../core/graph/oracleSensitivity.js";
import { positionTerms } from "../../core/graph/positionTerms.js";
import {
  aaveLiquidationHealthLimit,
  aaveReserveHold,
  takenAtSecondsOf,
} from "../../core/rules/aaveLiquidationFlags.js";
import type { Snapshot } from "../../core/snapshot/snapshot.js";

export function summarizeBook(snapshot: Snapshot): BookSummary {
  const price = new Map(snapshot.assets.map((a) => [a.id, a.priceUsd]));
  const protocolOf = new Map(snapshot.markets.map((m) => [m.id, m.protocol]));
  const positionsByMarket = new Map<string, number>();
  const exposure = new Map<
    string,
    { protocol: string; market: string; asset: string; collateralUsd: number; debtUsd: number }
  >();
  const byProtocol: Record<string, { positions: number; collateralUsd: number; debtUsd: number }> = {};
  let collateralUsd = 0;
  let debtUsd = 0;
  for (const p of snapshot.positions) {
    const protocol = protocolOf.get(p.market) ?? "unknown";
    positionsByMarket.set(p.market, (positionsByMarket.get(p.market) ?? 0) + 1);
    const totals = byProtocol[protocol] ?? { positions: 0, collateralUsd: 0, debtUsd: 0 };
    byProtocol[protocol] = totals;
    totals.positions += 1;
    for (const [side, amounts] of [
      ["collateralUsd", p.collateral],
      ["debtUsd", p.debt],
    ] as const) {
      // The side's values summed from 0 in record order, then added to the totals once.
      let sideUsd = 0;
      for (const [asset, amount] of Object.entries(amounts)) {
        if (amount === 0) continue;
        const usd = amount * (price.get(asset) ?? 0);
        const key = `${p.market}\u0000${asset}`;
        const row = exposure.get(key) ?? { protocol, market: p.market, asset, collateralUsd: 0, debtUsd: 0 };
        row[side] += usd;
        exposure.set(key, row);
        sideUsd += usd;
      }
      totals[side] += sideUsd;
      if (side === "collateralUsd") collateralUsd += sideUsd;
      else debtUsd += sideUsd;
    }
  }
  return {
    positions: snapshot.positions.length,
    collateralUsd,
    debtUsd,
    byProtocol,
    markets: [...positionsByMarket].map(([market, positions]) => ({
      protocol: protocolOf.get(market) ?? "unknown",
      market,
      positions,
    })),
    exposures: [...exposure.values()],
    liquidationHolds: liquidationHolds(snapshot, (market, asset) => exposure.get(`${market}\u0000${asset}`)),
  };
}

/** Reserves whose liquidations are held now, with the market's exposure to them (model 2.1). */
export function liquidationHolds(
  snapshot: Snapshot,
  exposureOf: (market: string, asset: string) => { collateralUsd: number; debtUsd: number } | undefined,
): LiquidationHoldRow[] {
  const takenAt = takenAtSecondsOf(snapshot.source.takenAt);
  const rows: LiquidationHoldRow[] = [];
  for (const market of snapshot.markets) {
    if (market.protocol !== "aave-v3") continue;
    const limit = aaveLiquidationHealthLimit(market);
    for (const [asset, reserve] of Object.entries(market.reserves)) {
      const hold = aaveReserveHold(reserve, takenAt);
      if (hold === undefined && limit === 1) continue;
      const e = exposureOf(market.id, asset);
      rows.push({
        market: market.id,
        asset,
        ...(hold === undefined
          ? { reason: "sentinel" as const, belowHealthFactor: limit }
          : hold.reason === "paused"
            ? { reason: "paused" as const }
            : { reason: "grace-period" as const, untilSeconds: hold.untilSeconds }),
        debtUsd: e?.debtUsd ?? 0,
        collateralUsd: e?.collateralUsd ?? 0,
      });
    }
  }
  return rows;
}

/**
 * Positions with debt whose health factor (model section 5 ratio form, at the oracle reports each
 * market reads) is below `maxHealthFactor`, lowest first. Collateral and debt values are at
 * oracle reports too: what the protocol sees.
 */
export function positionsAtRisk(snapshot: Snapshot, maxHealthFactor: number): PositionAtRisk[] {
  const price = oracleReports(priceForestOf(snapshot));
  const markets = new Map(snapshot.markets.map((m) => [m.id, m]));
  const out: PositionAtRisk[] = [];
  for (const p of snapshot.positions) {
    const market = markets.get(p.market);
    if (market === undefined) continue;
    const terms = positionTerms(p, market);
    let weighted = 0;
    let collateralUsd = 0;
    let debtUsd = 0;
    for (const t of terms.collateral) {
      const usd = t.amount * (price.get(t.oracle) ?? 0);
      collateralUsd += usd;
      weighted += usd * t.weight;
    }
    for (const t of terms.debt) debtUsd += t.amount * (price.get(t.oracle) ?? 0);
    if (debtUsd <= 0) continue;
    const healthFactor = weighted / debtUsd;
    if (healthFactor < maxHealthFactor) {
      out.push({
        market: p.market,
        protocol: market.protocol,
        account: p.account,
        healthFactor,
        collateralUsd,
        debtUsd,
      });
    }
  }
  return out.sort((a, b) => a.healthFactor - b.healthFactor);
}
