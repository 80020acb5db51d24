/**
 * Suite `devnet`: starting the devnet (deploy + seeding 1,000 positions) with the mainnet profile,
 * the default (Uniswap V3, deviation feeds, composed oracles, the mainnet book) beside the spot profile, with a warm compiled-
 * artifact cache (the usual case) and, for the mainnet profile, an empty one (solc-js compiles
 * Aave V3.6, Morpho Blue and the devnet's contracts first).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DevnetProfile } from "../../src/devnet/devnetProfile.js";
import { startDevnet } from "../../src/devnet/startDevnet.js";
import type { BenchRow, BenchSuite } from "../benchSuite.js";
import { median } from "../measure.js";

const POSITIONS = 1_000;

interface StartTimes {
  readonly totalMs: number;
  readonly deployMs: number;
  readonly seedMs: number;
}

/** One start and stop; the deploy and seeding times come from the devnet's own progress lines. */
async function timeStart(profile: DevnetProfile, seed: number, solcCacheDir?: string): Promise<StartTimes> {
  let deployMs = Number.NaN;
  let seedMs = Number.NaN;
  const started = performance.now();
  const devnet = await startDevnet({
    profile,
    seed,
    positions: POSITIONS,
    ...(solcCacheDir === undefined ? {} : { solcCacheDir }),
    log: (line) => {
      const deployed = /deployed in (\d+) ms/.exec(line);
      if (deployed !== null) deployMs = Number(deployed[1]);
      const seeded = /seeded .* in (\d+) ms/.exec(line);
      if (seeded !== null) seedMs = Number(seeded[1]);
    },
  });
  const totalMs = performance.now() - started;
  await devnet.stop();
  return { totalMs, deployMs, seedMs };
}

export const devnetSuite: BenchSuite = {
  name: "devnet",
  description: "devnet start (deploy + 1,000 positions): mainnet vs spot profile, warm and cold solc cache",
  async run(context, emit) {
    const runs = Math.max(1, context.runsFor(POSITIONS));
    const row = (measure: string, value: number, extra: Partial<BenchRow> = {}): BenchRow => ({
      suite: "devnet",
      positions: POSITIONS,
      measure,
      value,
      unit: "ms",
      ...extra,
    });
    // Warm: make sure the project's cache holds every artifact, then measure both profiles interleaved.
    await timeStart("mainnet", context.seed);
    const warm: Record<DevnetProfile, StartTimes[]> = { mainnet: [], spot: [] };
    for (let run = 0; run < runs; run++) {
      for (const profile of ["mainnet", "spot"] as const) {
        context.log(`devnet: ${profile} profile, warm cache, run ${run + 1}/${runs}`);
        warm[profile].push(await timeStart(profile, context.seed));
      }
    }
    for (const profile of ["mainnet", "spot"] as const) {
      const times = warm[profile];
      emit(
        row(`start, ${profile} profile, warm cache`, median(times.map((t) => t.totalMs)), {
          runs,
          ...(profile === "mainnet" ? { target: { max: 10_000 } } : {}),
        }),
      );
      emit(row(`  deploy, ${profile} profile`, median(times.map((t) => t.deployMs)), { runs }));
      emit(row(`  seed 1,000 positions, ${profile} profile`, median(times.map((t) => t.seedMs)), { runs }));
    }
    const ratio = median(warm.mainnet.map((t) => t.totalMs)) / median(warm.spot.map((t) => t.totalMs));
    emit({
      suite: "devnet",
      positions: POSITIONS,
      measure: "start mainnet / spot (warm)",
      value: ratio,
      unit: "count",
      runs,
      note: "ratio of the medians, runs alternated",
    });
    context.log("devnet: mainnet profile, empty solc cache (compiles Aave V3.6, Morpho Blue, contracts/)");
    const empty = await mkdtemp(join(tmpdir(), "cascade-solc-"));
    try {
      const cold = await timeStart("mainnet", context.seed, empty);
      emit(row("start, mainnet profile, cold cache", cold.totalMs, { runs: 1 }));
      emit({
        suite: "devnet",
        positions: POSITIONS,
        measure: "start cold / warm (mainnet)",
        value: cold.totalMs / median(warm.mainnet.map((t) => t.totalMs)),
        unit: "count",
        runs: 1,
        note: "ratio to the warm median",
      });
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  },
};
