/**
 * The newest results of one monitoring cycle: what the API serves, the metrics show and the alert
 * rules read. Plain JSON so it can live in Redis and in a checkpoint file.
 */
import type { CriticalShockOutcome, PositionAtRisk, ScenarioOutcome } from "../../core/alerts/monitorView.js";
import type { CascadeDrivers } from "../../core/risk/cascadeDrivers.js";
import type { LeverageClustering } from "../../core/risk/leverageClustering.js";
import type { ValueAtRiskReport } from "../../core/risk/valueAtRisk.js";
import type { BookExposureRow, CurvePointRow, MarketPositionsRow } from "../metrics/monitorMetrics.js";
import type { CascadeFlows } from "./cascadeFlows.js";

export interface BookSummary {
  readonly positions: number;
  readonly collateralUsd: number;
  readonly debtUsd: number;
  readonly byProtocol: Readonly<
    Record<string, { positions: number; collateralUsd: number; debtUsd: number }>
  >;
  readonly markets: readonly MarketPositionsRow[];
  readonly exposures: readonly BookExposureRow[];
  /** Aave reserves whose liquidations the protocol holds now (model 2.1; absent in older results). */
  readonly liquidationHolds?: readonly LiquidationHoldRow[];
}

/** One held reserve: paused, in its grace period, or behind an L2 sentinel that disallows. */
export interface LiquidationHoldRow {
  readonly market: string;
  readonly asset: string;
  readonly reason: "paused" | "grace-period" | "sentinel";
  /** Grace period: unix seconds when it ends. */
  readonly untilSeconds?: number;
  /** Sentinel: liquidations only below this health factor. */
  readonly belowHealthFactor?: number;
  /** Debt of the market's positions in this asset, at snapshot prices. */
  readonly debtUsd: number;
  readonly collateralUsd: number;
}

export interface MonitorResults {
  /** Increases by one per cycle; a store never replaces newer results with older ones. */
  readonly version: number;
  /** When the snapshot's data was read (milliseconds since the epoch). */
  readonly snapshotTakenAtMs: number;
  readonly computedAtMs: number;
  /** Newest indexed block per chain id. */
  readonly blocks: Readonly<Record<string, number>>;
  /** Chain head per chain id when the snapshot was taken (for lag). */
  readonly heads: Readonly<Record<string, number>>;
  readonly book: BookSummary;
  readonly scenarios: readonly ScenarioOutcome[];
  readonly curves: readonly CurvePointRow[];
  readonly criticalShocks: readonly CriticalShockOutcome[];
  readonly positionsAtRisk: readonly PositionAtRisk[];
  /** Each scenario's cascade, round by round, for the dashboard (absent in results of older versions). */
  readonly cascades?: readonly ScenarioCascade[];
  /** The `risk` section's per-cycle analyses (absent when none is configured). */
  readonly risk?: RiskResults;
}

export interface ScenarioCascade {
  readonly scenario: string;
  readonly flows: CascadeFlows;
}

export interface RiskResults {
  /** Systemic importance of each `risk.drivers.scenarios` scenario. */
  readonly drivers: ReadonlyArray<{ readonly scenario: string; readonly drivers: CascadeDrivers }>;
  /** Leverage clustering of each `risk.clustering.assets` asset. */
  readonly clustering: readonly LeverageClustering[];
}

/** The newest VaR run of the daemon: the report without its paths, and when and on what it ran. */
export type ValueAtRiskSummary = Omit<ValueAtRiskReport, "paths"> & {
  /** Results version whose snapshot it ran on. */
  readonly version: number;
  readonly computedAtMs: number;
  readonly durationSeconds: number;
};
