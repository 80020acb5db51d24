/**
 * Model v2 against model v1 on the same positions, side by side in one process: the v1 book
 * (every asset quoted in USD, every oracle the market price, no gas) and the same positions
 * carried into a v2 book (exchange-rate and deviation oracles, a fixed feed, wstETH quoted in
 * WETH, Uniswap V3-shaped WETH/USDC ranges, gas). Runs alternate between the two books so that
 * machine noise falls on both; the ratio of the medians is the figure that counts.
 */
import { readFileSync } from "node:fs";
import { compileBook } from "../src/core/book/compileBook.js";
import { liquidationCurve, shockGrid } from "../src/core/curve/liquidationCurve.js";
import { createCascadeWorkspace } from "../src/core/propagator/runCascade.js";
import { simulate } from "../src/core/propagator/simulate.js";
import { parseSnapshot } from "../src/core/snapshot/parseSnapshot.js";
import type { BenchRow } from "./benchSuite.js";
import { collectGarbage, median } from "./measure.js";

const ONE_MILLION = 1_000_000;
const SHOCK = { WETH: -0.2 };

const load = (file: string) => compileBook(parseSnapshot(JSON.parse(readFileSync(file, "utf8"))));

export async function measureModelV2(
  v1File: string,
  v2File: string,
  positions: number,
  runs: number,
  emit: (row: BenchRow) => void,
  log: (line: string) => void,
): Promise<void> {
  const big = positions >= ONE_MILLION;
  log(`model v2: ${positions} positions, v1 and v2 books side by side`);
  const v1 = load(v1File);
  const v2 = load(v2File);
  collectGarbage();
  const w1 = createCascadeWorkspace(v1);
  const w2 = createCascadeWorkspace(v2);
  // Warm both paths once, then alternate.
  simulate(v1, SHOCK, { workspace: w1 });
  simulate(v2, SHOCK, { workspace: w2 });
  const t1: number[] = [];
  const t2: number[] = [];
  let r1 = simulate(v1, SHOCK, { workspace: w1 });
  let r2 = simulate(v2, SHOCK, { workspace: w2 });
  for (let run = 0; run < Math.max(3, runs); run++) {
    let start = performance.now();
    r1 = simulate(v1, SHOCK, { workspace: w1 });
    t1.push(performance.now() - start);
    start = performance.now();
    r2 = simulate(v2, SHOCK, { workspace: w2 });
    t2.push(performance.now() - start);
  }
  const m1 = median(t1);
  const m2 = median(t2);
  const row = { suite: "model-v2", positions, unit: "ms", runs: t1.length } as const;
  emit({
    ...row,
    measure: "simulate WETH -20%, v1 book",
    value: m1,
    note: `${r1.rounds.length} rounds, ${r1.totals.liquidations} liquidations`,
  });
  emit({
    ...row,
    measure: "simulate WETH -20%, same positions as v2",
    value: m2,
    note: `${r2.rounds.length} rounds, ${r2.totals.liquidations} liquidations, ${r2.totals.stranded} stranded`,
  });
  emit({
    suite: "model-v2",
    positions,
    measure: "v2 / v1 simulation time",
    value: m2 / m1,
    unit: "count",
    ...(big ? { target: { max: 1.3 } } : {}),
    note: "ratio of the medians, runs alternated",
  });
  const shocks = shockGrid(0, -0.5, -0.01);
  const curveTimes: number[] = [];
  let points = 0;
  for (let run = 0; run < (big ? 1 : 3); run++) {
    const start = performance.now();
    points = liquidationCurve(v2, "WETH", shocks).length;
    curveTimes.push(performance.now() - start);
  }
  emit({
    suite: "model-v2",
    positions,
    measure: `curve WETH 0..-50% (${points} points), v2 book`,
    value: median(curveTimes),
    unit: "ms",
    runs: curveTimes.length,
    ...(big ? { target: { max: 10_000 } } : {}),
  });
}
