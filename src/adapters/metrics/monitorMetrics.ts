/**
 * The monitor's metrics, in one prom-client `Registry` owned by this module (no global registry):
 * the book, curves, critical shocks and scenarios, and the monitor's own health. Names carry the
 * `cascade_monitor_` prefix and base units (seconds, USD, ratios); counters end in `_total`.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { CriticalShockOutcome, ScenarioOutcome } from "../../core/alerts/monitorView.js";
import type { RiskResults, ValueAtRiskSummary } from "../store/monitorResults.js";
import {
  DRIVER_RANKS_PER_MARKET,
  JOB_DURATION_BUCKETS_SECONDS,
  METRIC_PREFIX,
  PIPELINE_LATENCY_BUCKETS_SECONDS,
  REORG_DEPTH_BUCKETS_BLOCKS,
  RPC_DURATION_BUCKETS_SECONDS,
  shockLabel,
  VAR_MEASURE_LABELS,
  VAR_STATISTICS,
} from "./metricLabels.js";

/** Collateral and debt of one market in one asset, in USD at snapshot prices. */
export interface BookExposureRow {
  readonly protocol: string;
  readonly market: string;
  readonly asset: string;
  readonly collateralUsd: number;
  readonly debtUsd: number;
}

export interface MarketPositionsRow {
  readonly protocol: string;
  readonly market: string;
  readonly positions: number;
}

/** Liquidatable debt at one configured shock of one asset. */
export interface CurvePointRow {
  readonly asset: string;
  readonly shock: number;
  readonly directRepaidUsd: number;
  readonly totalRepaidUsd: number;
  readonly badDebtUsd: number;
}

export interface SyncStepRow {
  readonly reorgDepth: number;
  readonly staleMarkets: number;
  readonly touched: number;
}

export interface OmissionsRow {
  readonly unpriced: ReadonlyArray<{ readonly market: string; readonly asset: string }>;
  readonly excludedPositions: number;
  readonly excludedDebtUsd: number;
}

export interface MonitorMetricsOptions {
  /** Adds prom-client's default process metrics (CPU, memory, event loop, GC) with the same prefix. */
  readonly processMetrics: boolean;
}

const name = (suffix: string): string => `${METRIC_PREFIX}${suffix}`;

export function createMonitorMetrics(options: MonitorMetricsOptions = { processMetrics: true }) {
  const registry = new Registry();
  const registers = [registry];
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });

  const instruments = {
    bookPositions: new Gauge<"protocol" | "market">({
      name: name("book_positions"),
      help: "Borrow positions tracked, per market.",
      labelNames: ["protocol", "market"],
      registers,
    }),
    bookCollateralUsd: new Gauge<"protocol" | "market" | "asset">({
      name: name("book_collateral_usd"),
      help: "Collateral value in USD at snapshot prices, per market and asset.",
      labelNames: ["protocol", "market", "asset"],
      registers,
    }),
    bookDebtUsd: new Gauge<"protocol" | "market" | "asset">({
      name: name("book_debt_usd"),
      help: "Debt value in USD at snapshot prices, per market and asset.",
      labelNames: ["protocol", "market", "asset"],
      registers,
    }),
    liquidatableDebtUsd: new Gauge<"asset" | "shock" | "mode">({
      name: name("liquidatable_debt_usd"),
      help: "Debt repaid by liquidations at a configured shock of one asset: round 1 only (direct) or all rounds (cascade).",
      labelNames: ["asset", "shock", "mode"],
      registers,
    }),
    curveBadDebtUsd: new Gauge<"asset" | "shock">({
      name: name("curve_bad_debt_usd"),
      help: "Bad debt in USD at a configured shock of one asset.",
      labelNames: ["asset", "shock"],
      registers,
    }),
    criticalShockRatio: new Gauge<"asset" | "kind">({
      name: name("critical_shock_ratio"),
      help: "Smallest price drop of an asset (as a negative fraction) that starts a cascade or creates bad debt; -1 when none down to -99%.",
      labelNames: ["asset", "kind"],
      registers,
    }),
    scenarioLiquidations: new Gauge<"scenario">({
      name: name("scenario_liquidations"),
      help: "Liquidations in a configured scenario, all rounds.",
      labelNames: ["scenario"],
      registers,
    }),
    scenarioRepaidUsd: new Gauge<"scenario">({
      name: name("scenario_repaid_usd"),
      help: "Debt repaid in USD in a configured scenario.",
      labelNames: ["scenario"],
      registers,
    }),
    scenarioBadDebtUsd: new Gauge<"scenario">({
      name: name("scenario_bad_debt_usd"),
      help: "Bad debt in USD in a configured scenario.",
      labelNames: ["scenario"],
      registers,
    }),
    scenarioRounds: new Gauge<"scenario">({
      name: name("scenario_rounds"),
      help: "Rounds of liquidations in a configured scenario.",
      labelNames: ["scenario"],
      registers,
    }),
    scenarioAmplificationRatio: new Gauge<"scenario" | "asset">({
      name: name("scenario_amplification_ratio"),
      help: "Final price drop over the shock's own drop, per shocked asset.",
      labelNames: ["scenario", "asset"],
      registers,
    }),
    scenarioCrossProtocolLiquidations: new Gauge<"scenario">({
      name: name("scenario_cross_protocol_liquidations"),
      help: "Liquidations caused by another protocol's liquidations in a configured scenario.",
      labelNames: ["scenario"],
      registers,
    }),
    scenarioDurationSeconds: new Histogram<"scenario">({
      name: name("scenario_duration_seconds"),
      help: "Time to simulate one scenario.",
      labelNames: ["scenario"],
      buckets: [...JOB_DURATION_BUCKETS_SECONDS],
      registers,
    }),
    lastIndexedBlock: new Gauge<"chain_id">({
      name: name("last_indexed_block"),
      help: "Newest block included in the snapshot, per chain.",
      labelNames: ["chain_id"],
      registers,
    }),
    indexerLagBlocks: new Gauge<"chain_id">({
      name: name("indexer_lag_blocks"),
      help: "Chain head minus the newest indexed block.",
      labelNames: ["chain_id"],
      registers,
    }),
    reorgs: new Counter<"chain_id">({
      name: name("reorgs_total"),
      help: "Reorganisations rolled back inside the window, per chain.",
      labelNames: ["chain_id"],
      registers,
    }),
    reorgDepthBlocks: new Histogram<"chain_id">({
      name: name("reorg_depth_blocks"),
      help: "Blocks orphaned by each reorganisation, per chain.",
      labelNames: ["chain_id"],
      buckets: [...REORG_DEPTH_BUCKETS_BLOCKS],
      registers,
    }),
    staleMarkets: new Gauge<"chain_id">({
      name: name("stale_markets"),
      help: "Markets whose last refresh failed (served from older data), per chain.",
      labelNames: ["chain_id"],
      registers,
    }),
    touchedPositions: new Gauge<"chain_id">({
      name: name("touched_positions"),
      help: "Positions re-read at the last step (those the new blocks touched, or every one on a full read), per chain.",
      labelNames: ["chain_id"],
      registers,
    }),
    unpricedAssets: new Gauge<"market" | "asset">({
      name: name("unpriced_assets"),
      help: "1 for each asset a market names that cannot be priced or read; its positions are excluded.",
      labelNames: ["market", "asset"],
      registers,
    }),
    excludedPositions: new Gauge({
      name: name("excluded_positions"),
      help: "Positions left out of the snapshot whole because they hold an unpriced asset.",
      registers,
    }),
    excludedDebtUsd: new Gauge({
      name: name("excluded_debt_usd"),
      help: "Debt of the excluded positions in USD, at the prices known (an unpriced asset counts 0).",
      registers,
    }),
    snapshotTimestampSeconds: new Gauge({
      name: name("snapshot_timestamp_seconds"),
      help: "Unix time the current snapshot was taken (staleness = time() - this).",
      registers,
    }),
    rpcRequests: new Counter<"chain_id" | "method">({
      name: name("rpc_requests_total"),
      help: "JSON-RPC requests sent.",
      labelNames: ["chain_id", "method"],
      registers,
    }),
    rpcErrors: new Counter<"chain_id" | "method">({
      name: name("rpc_errors_total"),
      help: "JSON-RPC requests that failed.",
      labelNames: ["chain_id", "method"],
      registers,
    }),
    rpcDurationSeconds: new Histogram<"chain_id" | "method">({
      name: name("rpc_request_duration_seconds"),
      help: "JSON-RPC request latency.",
      labelNames: ["chain_id", "method"],
      buckets: [...RPC_DURATION_BUCKETS_SECONDS],
      registers,
    }),
    jobDurationSeconds: new Histogram<"queue">({
      name: name("job_duration_seconds"),
      help: "Time to process one job, per queue.",
      labelNames: ["queue"],
      buckets: [...JOB_DURATION_BUCKETS_SECONDS],
      registers,
    }),
    jobFailures: new Counter<"queue">({
      name: name("job_failures_total"),
      help: "Job attempts that failed, per queue.",
      labelNames: ["queue"],
      registers,
    }),
    notificationsSent: new Counter<"sink" | "kind">({
      name: name("notifications_sent_total"),
      help: "Alert notifications delivered, per sink.",
      labelNames: ["sink", "kind"],
      registers,
    }),
    notificationsFailed: new Counter<"sink" | "kind">({
      name: name("notifications_failed_total"),
      help: "Alert notification deliveries that failed after their last retry, per sink.",
      labelNames: ["sink", "kind"],
      registers,
    }),
    chainStopped: new Gauge<"chain_id">({
      name: name("chain_stopped"),
      help: "1 for a chain the sync stopped following (a reorg deeper than its window, or its head went back below the indexed final block).",
      labelNames: ["chain_id"],
      registers,
    }),
    redisUp: new Gauge({
      name: name("redis_up"),
      help: "1 while the Redis connection is ready, 0 while it is down (distributed pipeline only).",
      registers,
    }),
    sinkDisabled: new Gauge<"sink">({
      name: name("sink_disabled"),
      help: "1 for a sink disabled until a restart because its endpoint answered 410 Gone.",
      labelNames: ["sink"],
      registers,
    }),
    alertsFiring: new Gauge<"alertname" | "severity">({
      name: name("alerts_firing"),
      help: "Alerts currently firing, per rule.",
      labelNames: ["alertname", "severity"],
      registers,
    }),
    varUsd: new Gauge<"measure" | "statistic">({
      name: name("var_usd"),
      help: "Monte Carlo VaR of the book over the risk.var horizon: mean, p95, p99 and ES beyond p99 (nearest-rank) of bad, liquidated and stranded debt, USD.",
      labelNames: ["measure", "statistic"],
      registers,
    }),
    varProtocolUsd: new Gauge<"protocol" | "measure" | "statistic">({
      name: name("var_protocol_usd"),
      help: "Monte Carlo VaR by protocol: bad and liquidated debt statistics, USD.",
      labelNames: ["protocol", "measure", "statistic"],
      registers,
    }),
    varPaths: new Gauge({
      name: name("var_paths"),
      help: "Paths of the newest VaR run.",
      registers,
    }),
    varHorizonSeconds: new Gauge({
      name: name("var_horizon_seconds"),
      help: "Horizon of the newest VaR run.",
      registers,
    }),
    varDurationSeconds: new Gauge({
      name: name("var_duration_seconds"),
      help: "Wall time of the newest VaR run (paths on worker threads).",
      registers,
    }),
    varTimestampSeconds: new Gauge({
      name: name("var_timestamp_seconds"),
      help: "When the newest VaR run finished (Unix seconds).",
      registers,
    }),
    driverReductionUsd: new Gauge<"scenario" | "market" | "rank" | "measure">({
      name: name("scenario_driver_reduction_usd"),
      help: "Systemic importance: debt of a scenario that goes away without the rank-th most important position of a market (top 3 per market; no account label), USD.",
      labelNames: ["scenario", "market", "rank", "measure"],
      registers,
    }),
    marketRemovalReductionUsd: new Gauge<"scenario" | "market" | "measure">({
      name: name("scenario_market_removal_reduction_usd"),
      help: "Systemic importance: debt of a scenario that goes away without a whole market, USD.",
      labelNames: ["scenario", "market", "measure"],
      registers,
    }),
    liquidationClusterDebtUsd: new Gauge<"asset" | "drop" | "mode">({
      name: name("liquidation_cluster_debt_usd"),
      help: "Leverage clustering: debt liquidated when the asset falls into the bucket ending at `drop` (a fraction), directly (round 1) or with the cascade, USD.",
      labelNames: ["asset", "drop", "mode"],
      registers,
    }),
    cycleLatencySeconds: new Histogram({
      name: name("cycle_latency_seconds"),
      help: "From a new snapshot to its alerts evaluated (block-to-alert latency).",
      buckets: [...PIPELINE_LATENCY_BUCKETS_SECONDS],
      registers,
    }),
    cyclesSkipped: new Counter({
      name: name("cycles_skipped_total"),
      help: "Cycle starts skipped because the previous cycle was still running (the next cycle reads the newest block instead).",
      registers,
    }),
    bookLoads: new Counter({
      name: name("book_loads_total"),
      help: "Distributed simulate processes: books brought to a new cycle's version, by how: from a whole keyframe (read and compiled) or by the stored changes applied to the book held.",
      labelNames: ["kind"],
      registers,
    }),
    cyclesBehind: new Gauge({
      name: name("cycles_behind"),
      help: "Cycle starts skipped since the running cycle began (0 when the monitor keeps up).",
      registers,
    }),
  };

  return {
    registry,
    ...instruments,
    /** Replaces the book gauges (markets that vanished lose their series). */
    recordBook(positions: readonly MarketPositionsRow[], exposures: readonly BookExposureRow[]): void {
      instruments.bookPositions.reset();
      instruments.bookCollateralUsd.reset();
      instruments.bookDebtUsd.reset();
      for (const p of positions)
        instruments.bookPositions.set({ protocol: p.protocol, market: p.market }, p.positions);
      for (const e of exposures) {
        const labels = { protocol: e.protocol, market: e.market, asset: e.asset };
        instruments.bookCollateralUsd.set(labels, e.collateralUsd);
        instruments.bookDebtUsd.set(labels, e.debtUsd);
      }
    },
    recordCurves(points: readonly CurvePointRow[]): void {
      instruments.liquidatableDebtUsd.reset();
      instruments.curveBadDebtUsd.reset();
      for (const p of points) {
        const shock = shockLabel(p.shock);
        instruments.liquidatableDebtUsd.set({ asset: p.asset, shock, mode: "direct" }, p.directRepaidUsd);
        instruments.liquidatableDebtUsd.set({ asset: p.asset, shock, mode: "cascade" }, p.totalRepaidUsd);
        instruments.curveBadDebtUsd.set({ asset: p.asset, shock }, p.badDebtUsd);
      }
    },
    recordCriticalShocks(outcomes: readonly CriticalShockOutcome[]): void {
      instruments.criticalShockRatio.reset();
      for (const c of outcomes) {
        instruments.criticalShockRatio.set({ asset: c.asset, kind: "cascade" }, c.cascadeShock ?? -1);
        instruments.criticalShockRatio.set({ asset: c.asset, kind: "bad_debt" }, c.badDebtShock ?? -1);
      }
    },
    recordScenarios(outcomes: readonly ScenarioOutcome[]): void {
      for (const g of [
        instruments.scenarioLiquidations,
        instruments.scenarioRepaidUsd,
        instruments.scenarioBadDebtUsd,
        instruments.scenarioRounds,
        instruments.scenarioCrossProtocolLiquidations,
        instruments.scenarioAmplificationRatio,
      ])
        g.reset();
      for (const s of outcomes) {
        const labels = { scenario: s.name };
        instruments.scenarioLiquidations.set(labels, s.liquidations);
        instruments.scenarioRepaidUsd.set(labels, s.repaidUsd);
        instruments.scenarioBadDebtUsd.set(labels, s.badDebtUsd);
        instruments.scenarioRounds.set(labels, s.rounds);
        instruments.scenarioCrossProtocolLiquidations.set(labels, s.crossProtocolLiquidations);
        for (const [asset, ratio] of Object.entries(s.amplification))
          instruments.scenarioAmplificationRatio.set({ scenario: s.name, asset }, ratio);
        instruments.scenarioDurationSeconds.observe(labels, s.durationSeconds);
      }
    },
    /** One chain's sync step: reorgs, stale markets and positions re-read. */
    recordSyncStep(chainId: number, step: SyncStepRow): void {
      const labels = { chain_id: String(chainId) };
      if (step.reorgDepth > 0) {
        instruments.reorgs.inc(labels);
        instruments.reorgDepthBlocks.observe(labels, step.reorgDepth);
      }
      instruments.staleMarkets.set(labels, step.staleMarkets);
      instruments.touchedPositions.set(labels, step.touched);
    },
    /** What the snapshot left out: unpriced assets (per market) and the positions excluded for them. */
    recordOmissions(omissions: OmissionsRow): void {
      instruments.unpricedAssets.reset();
      for (const u of omissions.unpriced)
        instruments.unpricedAssets.set({ market: u.market, asset: u.asset }, 1);
      instruments.excludedPositions.set(omissions.excludedPositions);
      instruments.excludedDebtUsd.set(omissions.excludedDebtUsd);
    },
    /** Replaces the VaR gauges with the newest run. */
    recordValueAtRisk(report: ValueAtRiskSummary): void {
      instruments.varUsd.reset();
      instruments.varProtocolUsd.reset();
      for (const [measure, label] of VAR_MEASURE_LABELS)
        for (const statistic of VAR_STATISTICS)
          instruments.varUsd.set({ measure: label, statistic }, report[measure][statistic]);
      for (const [protocol, stats] of Object.entries(report.byProtocol))
        for (const [measure, label] of VAR_MEASURE_LABELS.slice(0, 2))
          for (const statistic of VAR_STATISTICS)
            instruments.varProtocolUsd.set(
              { protocol, measure: label, statistic },
              stats[measure as "badDebtUsd" | "liquidatedDebtUsd"][statistic],
            );
      instruments.varPaths.set(report.pathCount);
      instruments.varHorizonSeconds.set(report.horizonHours * 3600);
      instruments.varDurationSeconds.set(report.durationSeconds);
      instruments.varTimestampSeconds.set(report.computedAtMs / 1000);
    },
    /** Replaces the drivers and clustering gauges. */
    recordRisk(risk: RiskResults | undefined): void {
      instruments.driverReductionUsd.reset();
      instruments.marketRemovalReductionUsd.reset();
      instruments.liquidationClusterDebtUsd.reset();
      for (const { scenario, drivers } of risk?.drivers ?? []) {
        const rankInMarket = new Map<string, number>();
        for (const p of drivers.positions) {
          const rank = (rankInMarket.get(p.market) ?? 0) + 1;
          rankInMarket.set(p.market, rank);
          if (rank > DRIVER_RANKS_PER_MARKET) continue;
          const labels = { scenario, market: p.market, rank: String(rank) };
          instruments.driverReductionUsd.set(
            { ...labels, measure: "liquidated_debt" },
            p.liquidatedDebtReductionUsd,
          );
          instruments.driverReductionUsd.set({ ...labels, measure: "bad_debt" }, p.badDebtReductionUsd);
        }
        for (const m of drivers.markets) {
          const labels = { scenario, market: m.market };
          instruments.marketRemovalReductionUsd.set(
            { ...labels, measure: "liquidated_debt" },
            m.liquidatedDebtReductionUsd,
          );
          instruments.marketRemovalReductionUsd.set(
            { ...labels, measure: "bad_debt" },
            m.badDebtReductionUsd,
          );
        }
      }
      for (const c of risk?.clustering ?? [])
        for (const b of c.buckets) {
          const drop = shockLabel(b.dropTo);
          instruments.liquidationClusterDebtUsd.set(
            { asset: c.asset, drop, mode: "direct" },
            b.direct.debtUsd,
          );
          instruments.liquidationClusterDebtUsd.set(
            { asset: c.asset, drop, mode: "cascade" },
            b.cascade.debtUsd,
          );
        }
    },
    /** Sets the firing-alert gauge from the alert book's firing alerts. */
    recordFiringAlerts(labels: ReadonlyArray<Readonly<Record<string, string>>>): void {
      instruments.alertsFiring.reset();
      for (const l of labels)
        instruments.alertsFiring.inc({ alertname: l.alertname ?? "", severity: l.severity ?? "" });
    },
  };
}

export type MonitorMetrics = ReturnType<typeof createMonitorMetrics>;
