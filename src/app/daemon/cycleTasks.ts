/**
 * A monitoring cycle cut into independent tasks: each scenario, each curve point, each
 * critical-shock search, each risk analysis and the book summary is one task, plain JSON that
 * carries every parameter it needs. A task runs on any compiled book of the same snapshot (in
 * this thread, a worker thread or a BullMQ worker of another process) and returns plain JSON;
 * `assembleResults` puts the results back in plan order, so a cycle spread over many workers
 * gives exactly the results of one process running the tasks one after another.
 *
 * No shock is simulated twice in a cycle where it can be helped: a curve point whose shock is a
 * single-asset scenario's is that scenario's run (`fromScenario`, filled in by `completeResults`,
 * not run), and the tasks that run in one thread share their runs of single-asset shocks
 * (`CycleRuns`: a scenario, a curve point and a critical-shock search step at one shock).
 */
import type { CurvePointRow } from "../../adapters/metrics/monitorMetrics.js";
import { cascadeFlows } from "../../adapters/store/cascadeFlows.js";
import type {
  BookSummary,
  MonitorResults,
  RiskResults,
  ScenarioCascade,
} from "../../adapters/store/monitorResults.js";
import type { CriticalShockOutcome, PositionAtRisk, ScenarioOutcome } from "../../core/alerts/monitorView.js";
import { curvePointOf } from "../../core/curve/liquidationCurve.js";
import { type ShockRunCache, shockRunOf } from "../../core/curve/shockRun.js";
import { FatalError } from "../../core/errors.js";
import type { CascadeReport } from "../../core/report/cascadeReport.js";
import type { CascadeDrivers } from "../../core/risk/cascadeDrivers.js";
import type { LeverageClustering } from "../../core/risk/leverageClustering.js";
import type { Snapshot } from "../../core/snapshot/snapshot.js";
import type { CascadeEngine, EngineBook, SyncFacts } from "./daemonPorts.js";
import type { DaemonSettings } from "./daemonSettings.js";

type Shock = Readonly<Record<string, number>>;

/** One independent piece of a cycle. */
export type CycleTask =
  | { readonly kind: "summary"; readonly atRiskHealthFactor: number }
  | {
      readonly kind: "scenario";
      readonly name: string;
      readonly shock: Shock;
      readonly maxRounds: number;
      /** The shock is one asset's and a curve point's too: the result carries that point. */
      readonly curvePoint?: string;
    }
  | {
      readonly kind: "curvePoint";
      readonly asset: string;
      readonly shock: number;
      readonly maxRounds: number;
      /** Index of the scenario task that runs this very shock: its result gives this point. */
      readonly fromScenario?: number;
    }
  | { readonly kind: "criticalShock"; readonly asset: string; readonly maxRounds: number }
  | {
      readonly kind: "drivers";
      readonly scenario: string;
      readonly shock: Shock;
      readonly topPositions: number;
      readonly maxRounds: number;
    }
  | {
      readonly kind: "clustering";
      readonly asset: string;
      readonly step: number;
      readonly maxRounds: number;
    };

/** What a task returns, tagged like the task. */
export type CycleTaskResult =
  | {
      readonly kind: "summary";
      readonly book: BookSummary;
      readonly positionsAtRisk: readonly PositionAtRisk[];
    }
  | {
      readonly kind: "scenario";
      readonly outcome: ScenarioOutcome;
      readonly cascade: ScenarioCascade;
      readonly point?: CurvePointRow;
    }
  | { readonly kind: "curvePoint"; readonly point: CurvePointRow }
  | { readonly kind: "criticalShock"; readonly outcome: CriticalShockOutcome }
  | { readonly kind: "drivers"; readonly scenario: string; readonly drivers: CascadeDrivers }
  | { readonly kind: "clustering"; readonly clustering: LeverageClustering };

/**
 * The numbers of one report the alerts and metrics use; `crossProtocolLiquidations` counts its
 * liquidations triggered by another protocol's trades (`TalliedCascade` carries it).
 */
export function scenarioOutcome(
  name: string,
  report: CascadeReport,
  crossProtocolLiquidations: number,
  durationSeconds: number,
): ScenarioOutcome {
  return {
    name,
    shock: report.shock,
    liquidations: report.totals.liquidations,
    repaidUsd: report.totals.repaidUsd,
    badDebtUsd: report.totals.badDebtUsd,
    rounds: report.rounds.filter((r) => r.liquidations > 0).length,
    crossProtocolLiquidations,
    amplification: report.amplification,
    durationSeconds,
  };
}

/**
 * The tasks of one cycle on `snapshot`, in the order their results appear. Scenarios, curves and
 * analyses on an asset the book does not hold are left out, not an error: books change.
 */
export function planCycle(snapshot: Snapshot, settings: DaemonSettings): CycleTask[] {
  const { scenarios } = settings;
  const { maxRounds } = scenarios;
  const known = new Set(snapshot.assets.map((a) => a.id));
  const holds = (shock: Shock) => Object.keys(shock).every((a) => known.has(a));
  const tasks: CycleTask[] = [{ kind: "summary", atRiskHealthFactor: scenarios.atRiskHealthFactor }];
  /** Scenario task index by the single-asset shock it runs (`asset shock`), the first of equals. */
  const single = new Map<string, number>();
  for (const s of scenarios.list) {
    if (!holds(s.shock)) continue;
    const assets = Object.keys(s.shock);
    const key = assets.length === 1 ? runKey(assets[0]!, s.shock[assets[0]!]!) : undefined;
    if (key !== undefined && !single.has(key)) single.set(key, tasks.length);
    tasks.push({ kind: "scenario", name: s.name, shock: s.shock, maxRounds });
  }
  for (const asset of scenarios.curves.assets.filter((a) => known.has(a)))
    for (const shock of scenarios.curves.shocks) {
      const from = single.get(runKey(asset, shock));
      if (from === undefined) {
        tasks.push({ kind: "curvePoint", asset, shock, maxRounds });
        continue;
      }
      tasks[from] = { ...(tasks[from] as Extract<CycleTask, { kind: "scenario" }>), curvePoint: asset };
      tasks.push({ kind: "curvePoint", asset, shock, maxRounds, fromScenario: from });
    }
  for (const asset of scenarios.criticalShockAssets.filter((a) => known.has(a)))
    tasks.push({ kind: "criticalShock", asset, maxRounds });
  const { drivers, clustering } = settings.risk;
  for (const name of drivers.scenarios) {
    const scenario = scenarios.list.find((s) => s.name === name);
    if (scenario === undefined || !holds(scenario.shock)) continue;
    tasks.push({
      kind: "drivers",
      scenario: name,
      shock: scenario.shock,
      topPositions: drivers.topPositions,
      maxRounds,
    });
  }
  for (const asset of clustering.assets.filter((a) => known.has(a)))
    tasks.push({ kind: "clustering", asset, step: clustering.step, maxRounds });
  return tasks;
}

/** Where a single-asset shock's run is kept: the asset and the shock's exact float. */
function runKey(asset: string, shock: number): string {
  return `${asset}\u0000${shock}`;
}

/** The runs of single-asset shocks made on one book in one cycle, per asset and `maxRounds`. */
export interface CycleRuns {
  of(asset: string, maxRounds: number): ShockRunCache;
}

/** Runs shared by the tasks of one cycle on one book (a fresh one per book). */
export function createCycleRuns(): CycleRuns {
  const byAsset = new Map<string, ShockRunCache>();
  return {
    of(asset, maxRounds) {
      const key = `${asset}\u0000${maxRounds}`;
      let runs = byAsset.get(key);
      if (runs === undefined) {
        runs = new Map();
        byAsset.set(key, runs);
      }
      return runs;
    },
  };
}

/** How a task runs on its book, beyond the book itself. */
export interface CycleTaskContext {
  /** `snapshot.positions[i]` is book position `i` (the held book's snapshot). */
  readonly inBookOrder?: boolean;
  /** Runs shared with the cycle's other tasks on this book (in this thread). */
  readonly runs?: CycleRuns;
}

/** Runs one task on the compiled `book` of `snapshot`; `elapsedMs` times scenarios. */
export function runCycleTask(
  engine: CascadeEngine,
  book: EngineBook,
  snapshot: Snapshot,
  task: CycleTask,
  elapsedMs: () => number,
  context: CycleTaskContext = {},
): CycleTaskResult {
  const { runs } = context;
  switch (task.kind) {
    case "summary": {
      const summary = engine.summary(snapshot, book, task.atRiskHealthFactor, context.inBookOrder === true);
      return { kind: "summary", book: summary.book, positionsAtRisk: summary.positionsAtRisk };
    }
    case "scenario": {
      const t0 = elapsedMs();
      const { report, crossProtocolLiquidations, flows } = engine.scenario(book, task.shock, task.maxRounds);
      const durationSeconds = (elapsedMs() - t0) / 1000;
      const assets = Object.keys(task.shock);
      const asset = assets.length === 1 ? assets[0]! : undefined;
      // The same rounds a curve point or a search step of this shock would run.
      const run = asset === undefined ? undefined : shockRunOf(report.rounds);
      if (asset !== undefined && run !== undefined)
        runs?.of(asset, task.maxRounds).set(task.shock[asset]!, run);
      return {
        kind: "scenario",
        outcome: scenarioOutcome(task.name, report, crossProtocolLiquidations, durationSeconds),
        cascade: { scenario: task.name, flows: cascadeFlows(report, flows) },
        ...(task.curvePoint === asset && run !== undefined && asset !== undefined
          ? { point: { asset, ...curvePointOf(task.shock[asset]!, run) } }
          : {}),
      };
    }
    case "curvePoint": {
      const [point] = engine.curve(
        book,
        task.asset,
        [task.shock],
        task.maxRounds,
        runs?.of(task.asset, task.maxRounds),
      );
      if (point === undefined) throw new FatalError(`curve of ${task.asset} returned no point`);
      return { kind: "curvePoint", point: { asset: task.asset, ...point } };
    }
    case "criticalShock":
      return {
        kind: "criticalShock",
        outcome: engine.criticalShock(book, task.asset, task.maxRounds, runs?.of(task.asset, task.maxRounds)),
      };
    case "drivers":
      return {
        kind: "drivers",
        scenario: task.scenario,
        drivers: engine.drivers(snapshot, book, task.shock, task.topPositions, task.maxRounds),
      };
    case "clustering":
      return {
        kind: "clustering",
        clustering: engine.clustering(snapshot, book, task.asset, task.step, task.maxRounds),
      };
  }
}

/**
 * The cycle's results from its tasks' results, `results[i]` being the result of `tasks[i]` (the
 * order `planCycle` gave). @throws FatalError when a result is missing or of another kind.
 */
export function assembleResults(
  synced: SyncFacts,
  tasks: readonly CycleTask[],
  results: readonly CycleTaskResult[],
  version: number,
  computedAtMs: number,
): MonitorResults {
  if (results.length !== tasks.length)
    throw new FatalError(`cycle ${version}: ${results.length} task results for ${tasks.length} tasks`);
  let summary: Extract<CycleTaskResult, { kind: "summary" }> | undefined;
  const scenarios: ScenarioOutcome[] = [];
  const cascades: ScenarioCascade[] = [];
  const curves: CurvePointRow[] = [];
  const criticalShocks: CriticalShockOutcome[] = [];
  const risk: { drivers: RiskResults["drivers"][number][]; clustering: LeverageClustering[] } = {
    drivers: [],
    clustering: [],
  };
  results.forEach((result, i) => {
    if (result.kind !== tasks[i]?.kind)
      throw new FatalError(
        `cycle ${version}: task ${i} is a ${tasks[i]?.kind} but its result a ${result.kind}`,
      );
    switch (result.kind) {
      case "summary":
        summary = result;
        break;
      case "scenario":
        scenarios.push(result.outcome);
        cascades.push(result.cascade);
        break;
      case "curvePoint":
        curves.push(result.point);
        break;
      case "criticalShock":
        criticalShocks.push(result.outcome);
        break;
      case "drivers":
        risk.drivers.push({ scenario: result.scenario, drivers: result.drivers });
        break;
      case "clustering":
        risk.clustering.push(result.clustering);
        break;
    }
  });
  if (summary === undefined) throw new FatalError(`cycle ${version}: no book summary among the tasks`);
  return {
    version,
    snapshotTakenAtMs: synced.takenAtMs,
    computedAtMs,
    blocks: synced.blocks,
    heads: synced.heads,
    book: summary.book,
    scenarios,
    curves,
    criticalShocks,
    positionsAtRisk: summary.positionsAtRisk,
    cascades,
    ...(risk.drivers.length + risk.clustering.length > 0 ? { risk } : {}),
  };
}

/** Rough cost of each kind of task, in simulations of the book (a search runs a dozen or more). */
const TASK_COST: Readonly<Record<CycleTask["kind"], number>> = {
  drivers: 40,
  clustering: 20,
  criticalShock: 16,
  scenario: 1.2,
  curvePoint: 1,
  summary: 0.2,
};

/** True for a task whose result another task's gives (`completeResults` fills it in). */
export function isDerived(task: CycleTask): boolean {
  return task.kind === "curvePoint" && task.fromScenario !== undefined;
}

/**
 * The indices of the tasks to run, costliest first (stable within a kind): workers that pull
 * tasks in this order finish a cycle sooner than in plan order, where a long search would start
 * last. Derived tasks are left out.
 */
export function longestFirst(tasks: readonly CycleTask[]): number[] {
  return tasks
    .map((task, index) => ({ index, cost: TASK_COST[task.kind], derived: isDerived(task) }))
    .filter((t) => !t.derived)
    .sort((a, b) => b.cost - a.cost || a.index - b.index)
    .map((t) => t.index);
}

/**
 * Every task's result from the results of the tasks run (`results[i]` for task `i`, absent for
 * a derived task, which is filled in from the task it derives from; one that was run anyway is kept).
 * @throws FatalError when a result is missing.
 */
export function completeResults(
  tasks: readonly CycleTask[],
  results: ReadonlyArray<CycleTaskResult | undefined>,
  version: number,
): CycleTaskResult[] {
  return tasks.map((task, i) => {
    const result = results[i];
    if (result !== undefined) return result;
    if (task.kind === "curvePoint" && task.fromScenario !== undefined) {
      const from = results[task.fromScenario];
      if (from?.kind === "scenario" && from.point !== undefined)
        return { kind: "curvePoint", point: from.point };
    }
    throw new FatalError(`cycle ${version}: no result for task ${i} (${task.kind})`);
  });
}
