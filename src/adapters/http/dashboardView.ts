/**
 * `GET /api/dashboard`: everything the dashboard page shows, from one results version, in one
 * answer — the book, scenarios with their cascades round by round, curves, critical shocks, the
 * positions nearest liquidation, alerts and the liquidation-price clustering of each collateral.
 */
import type { AlertBookState, AlertRecord } from "../../core/alerts/alertBook.js";
import type { CollateralGraph, LiquidationHistogram } from "../../core/graph/collateralGraph.js";
import type { CurvePointRow } from "../metrics/monitorMetrics.js";
import type { MonitorResults } from "../store/monitorResults.js";

/** Positions listed in the at-risk table. */
export const DASHBOARD_AT_RISK_LIMIT = 25;

export interface AssetClustering {
  readonly asset: string;
  readonly priceUsd: number;
  readonly collateralUsd: number;
  readonly histogram: LiquidationHistogram;
}

function curvesByAsset(points: readonly CurvePointRow[]) {
  const byAsset = new Map<string, CurvePointRow[]>();
  for (const p of points) byAsset.set(p.asset, [...(byAsset.get(p.asset) ?? []), p]);
  return [...byAsset].map(([asset, rows]) => ({ asset, points: rows }));
}

export function dashboardView(
  results: MonitorResults,
  alertBook: AlertBookState | undefined,
  graph: CollateralGraph | undefined,
  simulateNeedsToken: boolean,
) {
  const alerts: readonly AlertRecord[] = alertBook?.alerts ?? [];
  const clustering: AssetClustering[] = (graph?.assets ?? [])
    .filter((a) => a.exposure.collateralUsd > 0)
    .map((a) => ({
      asset: a.asset,
      priceUsd: a.priceUsd,
      collateralUsd: a.exposure.collateralUsd,
      histogram: a.liquidationPrices,
    }));
  return {
    version: results.version,
    snapshotTakenAt: new Date(results.snapshotTakenAtMs).toISOString(),
    computedAt: new Date(results.computedAtMs).toISOString(),
    blocks: results.blocks,
    heads: results.heads,
    book: results.book,
    scenarios: results.scenarios,
    cascades: results.cascades ?? [],
    curves: curvesByAsset(results.curves),
    criticalShocks: results.criticalShocks,
    positionsAtRisk: {
      total: results.positionsAtRisk.length,
      positions: [...results.positionsAtRisk]
        .sort((a, b) => a.healthFactor - b.healthFactor)
        .slice(0, DASHBOARD_AT_RISK_LIMIT),
    },
    alerts: {
      firing: alerts.filter((a) => a.status === "firing"),
      resolved: alerts.filter((a) => a.status === "resolved"),
    },
    clustering,
    simulateNeedsToken,
  };
}

export type DashboardView = ReturnType<typeof dashboardView>;
