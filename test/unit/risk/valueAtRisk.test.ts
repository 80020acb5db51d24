import { describe, expect, it } from "vitest";
import { generateBook } from "../../../bench/generateBook.js";
import { compileBook } from "../../../src/core/book/compileBook.js";
import { simulate } from "../../../src/core/propagator/simulate.js";
import { buildReturnModel } from "../../../src/core/risk/buildReturnModel.js";
import { HOURS_PER_YEAR, type ReturnModel } from "../../../src/core/risk/returnModel.js";
import { valueAtRisk } from "../../../src/core/risk/valueAtRisk.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import { lonePositionsSnapshot, shockAtProbability } from "./riskFixtures.js";

const seed = Number(process.env.SEED ?? 21);

describe("valueAtRisk: two independent assets, one position each (closed form)", () => {
  const horizonHours = 24;
  const h = horizonHours / HOURS_PER_YEAR;
  const sigma = { WBTC: 0.5, WETH: 0.8 };
  // WETH's position (1M) is liquidated with probability 0.5%, WBTC's (100k) with 3%.
  const qWeth = 0.005;
  const qWbtc = 0.03;
  const positions = [
    {
      asset: "WETH",
      priceUsd: 3000,
      debtUsd: 1_000_000,
      liquidationShock: shockAtProbability(qWeth, sigma.WETH, h),
    },
    {
      asset: "WBTC",
      priceUsd: 60_000,
      debtUsd: 100_000,
      liquidationShock: shockAtProbability(qWbtc, sigma.WBTC, h),
    },
  ];
  const book = compileBook(parseSnapshot(lonePositionsSnapshot(positions)));
  const model: ReturnModel = {
    assets: ["WBTC", "WETH"],
    volatility: [sigma.WBTC, sigma.WETH],
    correlation: [
      [1, 0],
      [0, 1],
    ],
    tails: { kind: "normal" },
  };
  const pathCount = 8000;
  const report = valueAtRisk(book, { model, horizonHours, pathCount, seed });

  it("liquidates, on every path, exactly the positions whose shock is inside their liquidation shock", () => {
    report.paths.forEach((p) => {
      let expected = 0;
      for (const pos of positions)
        if ((p.shock[pos.asset] ?? 0) < pos.liquidationShock) expected += pos.debtUsd;
      expect(p.totals.repaidUsd).toBeCloseTo(expected, 6);
      expect(p.totals.badDebtUsd).toBe(0);
    });
  });

  it("has the percentiles and mean of the closed-form distribution", () => {
    // P(L = 0) = 0.995 · 0.97 = 0.965 >= 0.95, so p95 = 0; P(L <= 100k) = 0.995 >= 0.99 > P(L = 0), so p99 = 100k.
    // Sampling error of the empirical P(L <= 100k) at 8,000 paths is 0.0008; the margin to 0.99 is 0.005.
    expect(report.liquidatedDebtUsd.p95).toBe(0);
    expect(report.liquidatedDebtUsd.p99).toBeCloseTo(100_000, 6);
    const mean = qWeth * 1_000_000 + qWbtc * 100_000;
    const sd = Math.sqrt(qWeth * (1 - qWeth) * 1e12 + qWbtc * (1 - qWbtc) * 1e10) / Math.sqrt(pathCount);
    expect(Math.abs(report.liquidatedDebtUsd.mean - mean)).toBeLessThan(4 * sd);
    // The worst 1% (80 paths): the 0.5% with WETH liquidated (1M or 1.1M), the rest at 100k.
    const es = 0.5 * 1_000_000 + 0.015 * 100_000 + 0.5 * 100_000;
    const sdCount = Math.sqrt(pathCount * qWeth * (1 - qWeth)); // of the WETH-liquidated paths (40 expected)
    expect(Math.abs(report.liquidatedDebtUsd.es99 - es)).toBeLessThan(
      (4 * sdCount * 1_000_000) / (pathCount / 100),
    );
    expect(report.byProtocol["morpho-blue"]?.liquidatedDebtUsd.p99).toBeCloseTo(100_000, 6);
    expect(report.byMarket["morpho-blue:1:wbtc-usdc"]?.liquidatedDebtUsd.p99).toBeCloseTo(100_000, 6);
    expect(report.byMarket["morpho-blue:1:weth-usdc"]?.liquidatedDebtUsd.p99).toBe(0);
    expect(report.badDebtUsd).toEqual({ mean: 0, p95: 0, p99: 0, es99: 0 });
    expect(report.quantile).toBe("nearest-rank");
  });

  it("lists the worst paths first, with their shocks", () => {
    const worst = report.worstPaths;
    expect(worst.length).toBe(10);
    expect(worst[0]!.liquidatedDebtUsd).toBeGreaterThanOrEqual(1_000_000);
    for (let i = 1; i < worst.length; i++)
      expect(worst[i]!.liquidatedDebtUsd).toBeLessThanOrEqual(worst[i - 1]!.liquidatedDebtUsd);
    expect(worst[0]!.shock).toEqual(report.paths[worst[0]!.path]!.shock);
  });
});

describe("valueAtRisk on a cascading book", () => {
  const input = generateBook({ positions: 300, seed });
  const snapshot = parseSnapshot(JSON.parse(JSON.stringify(input)));
  const book = compileBook(snapshot);
  const model = buildReturnModel(snapshot, { defaultVolatility: 1.5 });
  const report = valueAtRisk(book, { model, horizonHours: 24 * 7, pathCount: 60, seed });

  it("has per-path totals equal to simulate on the same shocks, through a JSON round trip", () => {
    const roundTrip = JSON.parse(JSON.stringify(report)) as typeof report;
    const fresh = compileBook(parseSnapshot(JSON.parse(JSON.stringify(input))));
    for (const p of roundTrip.paths) {
      const again = JSON.parse(JSON.stringify(simulate(fresh, p.shock).totals));
      expect(p.totals).toEqual(again);
    }
    expect(roundTrip.paths.some((p) => p.totals.liquidations > 0)).toBe(true);
  });

  it("moves only the assets without a leader unless given a volatility of their own", () => {
    expect(model.assets).not.toContain("wstETH");
    expect(model.assets).toContain("WETH");
    expect(buildReturnModel(snapshot, { volatilities: { wstETH: 0.05 } }).assets).toContain("wstETH");
  });
});
