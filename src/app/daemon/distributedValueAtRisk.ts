/**
 * The `risk.var` schedule on the distributed pipeline: a VaR run is a `var` job (one at a time,
 * from the `var-every` scheduler) whose paths are task jobs on the same `cycle-task` queue as the
 * cycles' tasks, so every simulate process shares them. The run draws its shocks once (seeded),
 * queues them in chunks as its children and waits; when they are done it runs again and
 * aggregates them, in path order: the report is the one a single process computes.
 */
import { type Job, WaitingChildrenError } from "bullmq";
import type { MonitorMetrics } from "../../adapters/metrics/monitorMetrics.js";
import { jobIds, type TaskJob, type ValueAtRiskJob } from "../../adapters/queue/pipelineJobs.js";
import type { PipelineQueues } from "../../adapters/queue/pipelineQueues.js";
import type { RedisPipelineState } from "../../adapters/queue/redisPipelineState.js";
import type { ValueAtRiskSummary } from "../../adapters/store/monitorResults.js";
import type { ResultStore } from "../../adapters/store/resultStore.js";
import type { VarSection } from "../../config/schema/risk.js";
import { FatalError } from "../../core/errors.js";
import { buildReturnModel } from "../../core/risk/buildReturnModel.js";
import type { ShockPaths } from "../../core/risk/drawShockPaths.js";
import type { PathOutcome } from "../../core/risk/pathMeasures.js";
import { aggregateValueAtRisk, type ValueAtRiskRun, valueAtRiskPaths } from "../../core/risk/valueAtRisk.js";
import { returnModelSpecOf } from "../risk/returnModelSpecOf.js";
import type { BookFollower } from "./bookFollower.js";
import type { DaemonLogger } from "./daemonLogger.js";
import type { CascadeEngine, EngineBook } from "./daemonPorts.js";

/** A chunk of VaR paths, run on the book of results `version` like a cycle's task. */
export interface PathsTask {
  readonly kind: "paths";
  readonly assets: readonly string[];
  /** `assets.length` shocks per path, paths `from ..` of the run. */
  readonly shocks: readonly number[];
  readonly from: number;
  readonly maxRounds: number;
}

/** Chunks per run: enough to share among several processes, few enough to keep job traffic small. */
const CHUNKS_PER_RUN = 32;

/** The chunk's outcomes, path `from + i` at `i`. */
export function runPathsTask(engine: CascadeEngine, book: EngineBook, task: PathsTask): PathOutcome[] {
  const count = task.shocks.length / Math.max(1, task.assets.length);
  const paths: ShockPaths = { assets: task.assets, count, shocks: Float64Array.from(task.shocks) };
  return engine.paths(book, paths, task.maxRounds);
}

export interface ValueAtRiskJobDeps {
  readonly section: VarSection;
  readonly maxRounds: number;
  readonly queues: PipelineQueues;
  /** This process's book of the cycles (the one its task jobs use). */
  readonly books: BookFollower;
  readonly state: RedisPipelineState;
  readonly store: ResultStore;
  readonly metrics: MonitorMetrics;
  readonly logger: DaemonLogger;
  readonly nowMs: () => number;
}

/** What a paths task job returns. */
interface PathsOutput {
  readonly from: number;
  readonly outcomes: readonly PathOutcome[];
}

/** The `var` job's processor. */
export function valueAtRiskProcessor(deps: ValueAtRiskJobDeps) {
  return async (job: Job<ValueAtRiskJob>, _signal: AbortSignal, token: string): Promise<unknown> => {
    const aggregate = job.data.aggregate;
    if (aggregate === undefined) return dispatch(job, token);
    const run = aggregate.run as ValueAtRiskRun;
    const chunks = Object.values(await job.getChildrenValues<PathsOutput>()).sort((a, b) => a.from - b.from);
    const outcomes = chunks.flatMap((c) => c.outcomes);
    if (outcomes.length !== run.pathCount)
      throw new FatalError(`value-at-risk run: ${outcomes.length} path outcomes for ${run.pathCount} paths`);
    const { paths: _paths, ...report } = aggregateValueAtRisk(run, valueAtRiskPaths(run), outcomes);
    const computedAtMs = deps.nowMs();
    const summary: ValueAtRiskSummary = {
      ...report,
      version: aggregate.version,
      computedAtMs,
      durationSeconds: Math.max(0, computedAtMs - aggregate.startedAtMs) / 1000,
    };
    await deps.state.putValueAtRisk(JSON.stringify(summary));
    deps.metrics.recordValueAtRisk(summary);
    deps.logger.info(
      { version: aggregate.version, paths: run.pathCount, durationSeconds: summary.durationSeconds },
      "value-at-risk computed",
    );
    return { version: aggregate.version, paths: run.pathCount };
  };

  async function dispatch(job: Job<ValueAtRiskJob>, token: string): Promise<unknown> {
    // One run at a time: a run still waiting for its paths makes the next start a no-op.
    if ((await deps.queues.var.getWaitingChildrenCount()) > 0) return { skipped: "a run is in progress" };
    const results = await deps.store.getResults();
    if (results === undefined) return { skipped: "no results yet" };
    const loaded = await deps.books.load(results.version);
    if (loaded === undefined) return { skipped: `book of cycle ${results.version} is gone` };
    const { snapshot } = loaded;
    const { section } = deps;
    const run: ValueAtRiskRun = {
      model: buildReturnModel(snapshot, returnModelSpecOf(section)),
      horizonHours: section.horizon,
      pathCount: section.paths,
      seed: section.seed,
      maxRounds: deps.maxRounds,
    };
    const paths = valueAtRiskPaths(run);
    const n = paths.assets.length;
    const size = Math.max(1, Math.ceil(paths.count / CHUNKS_PER_RUN));
    const parentId = job.id ?? "";
    const children = [];
    for (let from = 0; from < paths.count; from += size) {
      const to = Math.min(paths.count, from + size);
      const task: PathsTask = {
        kind: "paths",
        assets: paths.assets,
        shocks: Array.from(paths.shocks.subarray(from * n, to * n)),
        from,
        maxRounds: deps.maxRounds,
      };
      children.push({
        name: "paths",
        data: { version: results.version, index: from, task } satisfies TaskJob,
        opts: {
          jobId: jobIds.paths(parentId, from),
          parent: { id: parentId, queue: job.queueQualifiedName },
          failParentOnFailure: true,
        },
      });
    }
    await deps.queues.task.addBulk(children);
    await job.updateData({
      aggregate: { version: results.version, run, startedAtMs: deps.nowMs() },
    } satisfies ValueAtRiskJob);
    if (await job.moveToWaitingChildren(token)) throw new WaitingChildrenError();
    // Every child finished before the move: aggregate in this same attempt.
    return valueAtRiskProcessor(deps)(job, new AbortController().signal, token);
  }
}
