/**
 * Suite `groundtruth`: one mainnet-profile ground-truth validation end to end: start the devnet
 * (deploy + 1,000 positions), shock WETH on chain, index it with the real indexers, predict with
 * model v2, run the devnet's liquidator, compare. With a warm compiled-artifact cache (the usual
 * case) and an empty one (solc-js compiles Aave V3.6, Morpho Blue and the devnet's contracts
 * first). Reported as ratios measured in the same run: cold / warm, validation / devnet start.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runValidation } from "../../src/app/validate/runValidation.js";
import { startDevnet } from "../../src/devnet/startDevnet.js";
import type { BenchRow, BenchSuite } from "../benchSuite.js";
import { median } from "../measure.js";

const POSITIONS = 1_000;
const SHOCK = { WETH: -0.25 } as const;

interface GroundTruthTimes {
  /** Devnet start: deploy and seed. */
  readonly startMs: number;
  /** From the shock to the comparison (shock, index, predict, liquidator, compare). */
  readonly validationMs: number;
  readonly indexMs: number;
  readonly predictMs: number;
  readonly liquidateMs: number;
  /** The shock on chain and the comparison (the validation's other parts). */
  readonly restMs: number;
  readonly liquidations: number;
  /** Differences beyond the tolerance and reverted liquidations (0: the two sides agree). */
  readonly differences: number;
}

async function timeGroundTruth(seed: number, solcCacheDir?: string): Promise<GroundTruthTimes> {
  const started = performance.now();
  const devnet = await startDevnet({
    profile: "mainnet",
    seed,
    positions: POSITIONS,
    ...(solcCacheDir === undefined ? {} : { solcCacheDir }),
  });
  try {
    const startMs = performance.now() - started;
    const validating = performance.now();
    const result = await runValidation({ devnet, shock: SHOCK });
    const validationMs = performance.now() - validating;
    const { index, simulate, liquidate } = result.timingsMs;
    return {
      startMs,
      validationMs,
      indexMs: index,
      predictMs: simulate,
      liquidateMs: liquidate,
      restMs: validationMs - index - simulate - liquidate,
      liquidations: result.realized.totals.liquidations,
      differences: result.comparison.diffs.length + result.reverted.length,
    };
  } finally {
    await devnet.stop();
  }
}

export const groundTruthSuite: BenchSuite = {
  name: "groundtruth",
  description:
    "one mainnet ground-truth validation (devnet start with 1,000 positions, index, predict, liquidator, compare), warm and cold solc cache",
  async run(context, emit) {
    const runs = Math.max(1, context.runsFor(POSITIONS));
    const row = (measure: string, value: number, extra: Partial<BenchRow> = {}): BenchRow => ({
      suite: "groundtruth",
      positions: POSITIONS,
      measure,
      value,
      unit: "ms",
      ...extra,
    });
    // Warm: one run fills the project's cache if it is empty, then the measured runs.
    await timeGroundTruth(context.seed);
    const warm: GroundTruthTimes[] = [];
    for (let run = 0; run < runs; run++) {
      context.log(`groundtruth: warm cache, run ${run + 1}/${runs}`);
      warm.push(await timeGroundTruth(context.seed));
    }
    const med = (pick: (t: GroundTruthTimes) => number) => median(warm.map(pick));
    const last = warm.at(-1)!;
    const outcome = `WETH -25%, ${last.liquidations} liquidations, ${last.differences === 0 ? "agree" : `disagree (${last.differences} differences)`}`;
    emit(
      row(
        "ground truth, warm cache",
        med((t) => t.startMs + t.validationMs),
        { runs, note: outcome },
      ),
    );
    emit(
      row(
        "  devnet start (deploy + 1,000 positions)",
        med((t) => t.startMs),
        { runs },
      ),
    );
    emit(
      row(
        "  validation (shock to comparison)",
        med((t) => t.validationMs),
        { runs },
      ),
    );
    emit(
      row(
        "    index (real indexers)",
        med((t) => t.indexMs),
        { runs },
      ),
    );
    emit(
      row(
        "    predict (model v2)",
        med((t) => t.predictMs),
        { runs },
      ),
    );
    emit(
      row(
        "    liquidator on chain",
        med((t) => t.liquidateMs),
        { runs },
      ),
    );
    emit(
      row(
        "    shock and compare",
        med((t) => t.restMs),
        { runs },
      ),
    );
    emit({
      ...row("validation / devnet start (warm)", median(warm.map((t) => t.validationMs / t.startMs)), {
        runs,
      }),
      unit: "count",
      note: "median of the per-run ratios",
    });
    context.log("groundtruth: empty solc cache (compiles Aave V3.6, Morpho Blue, contracts/)");
    const empty = await mkdtemp(join(tmpdir(), "cascade-solc-"));
    try {
      const cold = await timeGroundTruth(context.seed, empty);
      const coldTotal = cold.startMs + cold.validationMs;
      emit(row("ground truth, cold cache", coldTotal, { runs: 1 }));
      emit({
        ...row("ground truth cold / warm", coldTotal / med((t) => t.startMs + t.validationMs), { runs: 1 }),
        unit: "count",
        note: "ratio to the warm median",
      });
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  },
};
