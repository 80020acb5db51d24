/**
 * One monitoring cycle's computation on a synced snapshot: every configured scenario (timed), the
 * liquidation curve of each configured asset, critical shocks, positions at risk and the book
 * summary. CPU only; the caller stores and publishes the result.
 */
import type { CurvePointRow } from "../../adapters/metrics/monitorMetrics.js";
import { cascadeFlows } from "../../adapters/store/cascadeFlows.js";
import type { MonitorResults, RiskResults, ScenarioCascade } from "../../adapters/store/monitorResults.js";
import type { ScenarioOutcome } from "../../core/alerts/monitorView.js";
import type { CascadeReport } from "../../core/report/cascadeReport.js";
import type { CascadeEngine, SyncedSnapshot } from "./daemonPorts.js";
import type { DaemonSettings } from "./daemonSettings.js";
import { positionsAtRisk, summarizeBook } from "./summarizeBook.js";

/** The numbers of one report the alerts and metrics use. */
export function scenarioOutcome(
  name: string,
  report: CascadeReport,
  durationSeconds: number,
): ScenarioOutcome {
  return {
    name,
    shock: report.shock,
    liquidations: report.totals.liquidations,
    repaidUsd: report.totals.repaidUsd,
    badDebtUsd: report.totals.badDebtUsd,
    rounds: report.rounds.filter((r) => r.liquidations > 0).length,
    crossProtocolLiquidations: report.liquidations.filter((l) => l.crossProtocol).length,
    amplification: report.amplification,
    durationSeconds,
  };
}

export interface ComputeOptions {
  readonly version: number;
  /** Milliseconds clock for `computedAtMs`. */
  readonly nowMs: () => number;
  /** High-resolution milliseconds clock for durations. */
  readonly elapsedMs: () => number;
}

export function computeResults(
  engine: CascadeEngine,
  synced: SyncedSnapshot,
  settings: DaemonSettings,
  options: ComputeOptions,
): MonitorResults {
  const { scenarios } = settings;
  const book = engine.compile(synced.snapshot);
  const known = new Set(synced.snapshot.assets.map((a) => a.id));
  const outcomes: ScenarioOutcome[] = [];
  const cascades: ScenarioCascade[] = [];
  for (const s of scenarios.list) {
    // A scenario on an asset this book does not hold is skipped, not an error: books change.
    if (!Object.keys(s.shock).every((a) => known.has(a))) continue;
    const t0 = options.elapsedMs();
    const report = engine.simulate(book, s.shock, scenarios.maxRounds);
    outcomes.push(scenarioOutcome(s.name, report, (options.elapsedMs() - t0) / 1000));
    cascades.push({ scenario: s.name, flows: cascadeFlows(report) });
  }
  const curves: CurvePointRow[] = [];
  for (const asset of scenarios.curves.assets.filter((a) => known.has(a))) {
    for (const p of engine.curve(book, asset, scenarios.curves.shocks, scenarios.maxRounds))
      curves.push({ asset, ...p });
  }
  const criticalShocks = scenarios.criticalShockAssets
    .filter((a) => known.has(a))
    .map((asset) => engine.criticalShock(book, asset, scenarios.maxRounds));
  const { drivers, clustering } = settings.risk;
  const risk: RiskResults = {
    drivers: drivers.scenarios.flatMap((name) => {
      const scenario = scenarios.list.find((s) => s.name === name);
      if (scenario === undefined || !Object.keys(scenario.shock).every((a) => known.has(a))) return [];
      return [
        {
          scenario: name,
          drivers: engine.drivers(
            synced.snapshot,
            book,
            scenario.shock,
            drivers.topPositions,
            scenarios.maxRounds,
          ),
        },
      ];
    }),
    clustering: clustering.assets
      .filter((a) => known.has(a))
      .map((asset) => engine.clustering(synced.snapshot, book, asset, clustering.step, scenarios.maxRounds)),
  };
  return {
    version: options.version,
    snapshotTakenAtMs: synced.takenAtMs,
    computedAtMs: options.nowMs(),
    blocks: synced.blocks,
    heads: synced.heads,
    book: summarizeBook(synced.snapshot),
    scenarios: outcomes,
    curves,
    criticalShocks,
    positionsAtRisk: positionsAtRisk(synced.snapshot, scenarios.atRiskHealthFactor),
    cascades,
    ...(risk.drivers.length + risk.clustering.length > 0 ? { risk } : {}),
  };
}
