import { describe, expect, it } from "vitest";
import { UserInputError } from "../../../src/core/errors.js";
import { choleskyFactor } from "../../../src/core/risk/choleskyFactor.js";
import { drawShockPaths, shockOfPath } from "../../../src/core/risk/drawShockPaths.js";
import type { ReturnModel } from "../../../src/core/risk/returnModel.js";

const seed = Number(process.env.SEED ?? 5);

function standardised(paths: ReturnType<typeof drawShockPaths>, model: ReturnModel, h: number, i: number) {
  const n = model.assets.length;
  const sigma = model.volatility[i]!;
  return Array.from({ length: paths.count }, (_, k) => {
    const s = paths.shocks[k * n + i]!;
    return (Math.log(1 + s) + (sigma * sigma * h) / 2) / (sigma * Math.sqrt(h));
  });
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const moment = (xs: readonly number[], k: number) => {
  const m = mean(xs);
  return mean(xs.map((x) => (x - m) ** k));
};

describe("choleskyFactor", () => {
  it("factors a correlation matrix: L Lᵀ = A", () => {
    const a = [
      [1, 0.7, 0.2],
      [0.7, 1, 0.4],
      [0.2, 0.4, 1],
    ];
    const l = choleskyFactor(a, "m");
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += l[i]![k]! * l[j]![k]!;
        expect(s).toBeCloseTo(a[i]![j]!, 12);
      }
    expect(l[0]![1]).toBe(0);
  });

  it("accepts a singular PSD matrix (perfect correlation) and refuses an indefinite one, naming it", () => {
    const l = choleskyFactor(
      [
        [1, 1],
        [1, 1],
      ],
      "m",
    );
    expect(l[1]![0]).toBe(1);
    expect(l[1]![1]).toBe(0);
    const indefinite = [
      [1, 0.9, -0.9],
      [0.9, 1, 0.9],
      [-0.9, 0.9, 1],
    ];
    expect(() => choleskyFactor(indefinite, "risk.var.correlations", ["WETH", "WBTC", "LINK"])).toThrow(
      /risk\.var\.correlations is not positive semi-definite.*LINK/,
    );
    expect(() =>
      choleskyFactor(
        [
          [1, 0.5],
          [0.4, 1],
        ],
        "m",
      ),
    ).toThrow(UserInputError);
  });
});

describe("drawShockPaths", () => {
  const h = 24 / 8760;
  const model: ReturnModel = {
    assets: ["WBTC", "WETH"],
    volatility: [0.5, 0.8],
    correlation: [
      [1, 0.6],
      [0.6, 1],
    ],
    tails: { kind: "normal" },
  };

  it("draws log-normal shocks with the model's volatility and correlation, and a martingale drift", () => {
    const paths = drawShockPaths(model, h, 20_000, seed);
    const z0 = standardised(paths, model, h, 0);
    const z1 = standardised(paths, model, h, 1);
    // 20,000 draws: standard errors about 0.007 (mean), 0.01 (variance), 0.006 (correlation).
    expect(Math.abs(mean(z0))).toBeLessThan(0.04);
    expect(moment(z0, 2)).toBeCloseTo(1, 1);
    expect(moment(z1, 2)).toBeCloseTo(1, 1);
    const corr = mean(z0.map((x, k) => x * z1[k]!)) / Math.sqrt(moment(z0, 2) * moment(z1, 2));
    expect(Math.abs(corr - 0.6)).toBeLessThan(0.03);
    const growth = mean(Array.from({ length: paths.count }, (_, k) => 1 + paths.shocks[k * 2 + 1]!));
    expect(Math.abs(growth - 1)).toBeLessThan(0.002); // E[1 + s] = 1; sd of the mean 0.0003
  });

  it("reproduces the same paths for the same seed, other paths for another", () => {
    const a = drawShockPaths(model, h, 50, seed);
    const b = drawShockPaths(model, h, 50, seed);
    const c = drawShockPaths(model, h, 50, seed + 1);
    expect(Array.from(a.shocks)).toEqual(Array.from(b.shocks));
    expect(Array.from(a.shocks)).not.toEqual(Array.from(c.shocks));
    expect(shockOfPath(a, 3)).toEqual({ WBTC: a.shocks[6], WETH: a.shocks[7] });
  });

  it("has unit variance and fat tails under Student-t", () => {
    const df = 5;
    const t = { ...model, tails: { kind: "student-t" as const, degreesOfFreedom: df } };
    const z = standardised(drawShockPaths(t, h, 40_000, seed), t, h, 0);
    expect(Math.abs(moment(z, 2) - 1)).toBeLessThan(0.08);
    // Student-t(5) excess kurtosis is 6; the normal's is 0.
    expect(moment(z, 4) / moment(z, 2) ** 2).toBeGreaterThan(5);
  });

  it("refuses a bad model with a message that says what is wrong", () => {
    expect(() => drawShockPaths({ ...model, volatility: [0.5, -1] }, h, 10, 1)).toThrow(/volatility of WETH/);
    expect(() =>
      drawShockPaths({ ...model, tails: { kind: "student-t", degreesOfFreedom: 2 } }, h, 10, 1),
    ).toThrow(/above 2/);
    expect(() =>
      drawShockPaths(
        {
          ...model,
          correlation: [
            [1, 1.2],
            [1.2, 1],
          ],
        },
        h,
        10,
        1,
      ),
    ).toThrow(/\[-1, 1\]/);
  });
});
