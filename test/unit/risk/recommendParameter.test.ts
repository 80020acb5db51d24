import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runRecommendation } from "../../../src/app/risk/runRecommendation.js";
import { parseObjective } from "../../../src/core/risk/objective.js";
import { nearestRank } from "../../../src/core/risk/quantile.js";
import { recommendParameter } from "../../../src/core/risk/recommendParameter.js";
import { HOURS_PER_YEAR, type ReturnModel } from "../../../src/core/risk/returnModel.js";
import { valueAtRiskPaths } from "../../../src/core/risk/valueAtRisk.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import { LLTV, lonePositionsSnapshot } from "./riskFixtures.js";

const seed = Number(process.env.SEED ?? 31);
const MARKET = "morpho-blue:1:weth-usdc";

describe("recommend, with the answer known by construction", () => {
  // One Morpho position (health factor 1.15) on WETH with infinite liquidity. At lltv L, with
  // borrowers keeping their health factor, a path has bad debt exactly when
  // 1 + s < g(L) / 1.15, g(L) = L · LIF(L) = L / (0.3 L + 0.7). "p99 bad debt <= 0" allows
  // k = n - ceil(0.99 n) such paths, so the answer is L* = g⁻¹(1.15 · u), u the (k+1)-th
  // smallest 1 + s, and g⁻¹(y) = 0.7 y / (1 - 0.3 y).
  const healthFactor = 1.15;
  const snapshot = parseSnapshot(
    lonePositionsSnapshot([
      { asset: "WETH", priceUsd: 3000, debtUsd: 100_000, liquidationShock: 1 / healthFactor - 1 },
    ]),
  );
  const model: ReturnModel = {
    assets: ["WETH"],
    volatility: [0.8],
    correlation: [[1]],
    tails: { kind: "normal" },
  };
  const run = { model, horizonHours: 7 * 24, pathCount: 1000, seed };
  const source = { kind: "snapshot" as const, snapshot, overrides: [], key: "lone" };

  it("recommends the largest lltv whose p99 bad debt is zero, to the tolerance", async () => {
    const paths = valueAtRiskPaths(run);
    const growth = Array.from(paths.shocks, (s) => 1 + s).sort((a, b) => a - b);
    const k = run.pathCount - nearestRank(0.99, run.pathCount);
    const y = healthFactor * growth[k]!;
    const expected = (0.7 * y) / (1 - 0.3 * y);
    expect(expected).toBeGreaterThan(0.6);
    expect(expected).toBeLessThan(0.97);
    const report = await runRecommendation({
      source,
      snapshot,
      parameter: { market: MARKET, param: "lltv" },
      objective: parseObjective("var99.badDebtUsd<=0"),
      run,
      range: [0.6, 0.97],
      tolerance: 1e-3,
    });
    expect(report.recommended).not.toBeNull();
    expect(report.recommended!).toBeLessThanOrEqual(expected);
    expect(report.recommended!).toBeGreaterThan(expected - 1e-3);
    expect(report.monotone).toBe(true);
    expect(report.curve).toHaveLength(11);
    expect(report.atCurrent.value).toBe(LLTV);
    // Sanity of the horizon: the model's year is 365 days.
    expect(run.horizonHours / HOURS_PER_YEAR).toBeCloseTo(7 / 365, 12);
  });

  it("never recommends a more permissive lltv for a stricter bound", async () => {
    const results: number[] = [];
    for (const bound of [100, 1000, 5000]) {
      const r = await runRecommendation({
        source,
        snapshot,
        parameter: { market: MARKET, param: "lltv" },
        objective: parseObjective(`mean.badDebtUsd<=${bound}`),
        run: { ...run, pathCount: 300 },
        range: [0.6, 0.97],
        points: 6,
        tolerance: 0.005,
      });
      results.push(r.recommended ?? Number.NEGATIVE_INFINITY);
    }
    expect(results[0]).toBeLessThanOrEqual(results[1]!);
    expect(results[1]).toBeLessThanOrEqual(results[2]!);
    expect(results[2]).toBeGreaterThan(results[0]!);
  });
});

describe("recommendParameter (seeded property)", () => {
  it("gives a stricter bound an answer no more permissive, on any monotone objective", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 8 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.boolean(),
        async (steps, a, b, upwards) => {
          // A non-decreasing step function of the permissiveness t in [0, 1].
          const edges = [...steps].sort((x, y) => x - y);
          const objective = (t: number) => edges.filter((e) => e <= t).length;
          const [strictEnd, permissiveEnd] = upwards ? [0.2, 0.9] : [0.9, 0.2];
          const evaluate = (v: number) => objective((v - strictEnd) / (permissiveEnd - strictEnd));
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const recommend = (bound: number) =>
            recommendParameter({
              strict: strictEnd,
              permissive: permissiveEnd,
              evaluate,
              meets: (v) => v <= bound * edges.length,
              points: 5,
              tolerance: 1e-3,
            });
          const strict = await recommend(lo);
          const loose = await recommend(hi);
          expect(strict.monotone).toBe(true);
          const permissiveness = (v: number | null) =>
            v === null ? Number.NEGATIVE_INFINITY : (v - strictEnd) / (permissiveEnd - strictEnd);
          expect(permissiveness(strict.recommended)).toBeLessThanOrEqual(
            permissiveness(loose.recommended) + 1e-12,
          );
        },
      ),
      { seed, numRuns: 200 },
    );
  });

  it("reports where the objective is not monotone", async () => {
    const r = await recommendParameter({
      strict: 0,
      permissive: 1,
      points: 3,
      evaluate: (v) => (v === 0.5 ? 10 : 1),
      meets: (v) => v <= 5,
    });
    expect(r.monotone).toBe(false);
    expect(r.violations).toEqual([{ from: 0.5, to: 1, fall: 9 }]);
    expect(r.recommended).toBeLessThan(0.5);
  });
});
