import { describe, expect, it } from "vitest";
import { findCriticalShock } from "../../../src/core/curve/findCriticalShock.js";
import { liquidationCurve, shockGrid } from "../../../src/core/curve/liquidationCurve.js";
import { UserInputError } from "../../../src/core/errors.js";
import { simulate } from "../../../src/core/propagator/simulate.js";
import {
  AAVE_MARKET,
  assetFixture,
  bookFixture,
  MORPHO_MARKET,
  poolAssetFixture,
  positionFixture,
} from "../../helpers/snapshotFixtures.js";

describe("shockGrid", () => {
  it("steps from `from` to `to` inclusive without drift", () => {
    expect(shockGrid(0, -0.05, -0.01)).toEqual([0, -0.01, -0.02, -0.03, -0.04, -0.05]);
    expect(shockGrid(-0.5, 0, 0.25)).toEqual([-0.5, -0.25, 0]);
    expect(shockGrid(0, -0.5, -0.01)).toHaveLength(51);
  });

  it("refuses a step that does not lead to `to`", () => {
    expect(() => shockGrid(0, -0.5, 0.01)).toThrow(UserInputError);
    expect(() => shockGrid(0, -0.5, 0)).toThrow(UserInputError);
  });
});

// WETH pool of 1000 / $3M. An Aave position (HF 1.2 at $3000) falls at about -17%; its sale
// tips a Morpho position set just below its own liquidation price after that sale.
const book = bookFixture({
  assets: [poolAssetFixture("WETH", 3000, 1000, 30), assetFixture("USDC", 1), assetFixture("WBTC", 60_000)],
  positions: [
    positionFixture(AAVE_MARKET, "0xa", { WETH: 100 }, { USDC: (100 * 3000 * 0.8) / 1.2 }),
    positionFixture(MORPHO_MARKET, "0xm", { WETH: 1 }, { USDC: 2100 }),
  ],
});

describe("liquidationCurve", () => {
  it("each point is the simulation's round 1, total and bad debt", () => {
    const shocks = [0, -0.1, -0.2, -0.3];
    const curve = liquidationCurve(book, "WETH", shocks);
    expect(curve.map((p) => p.shock)).toEqual(shocks);
    for (const point of curve) {
      const report = simulate(book, { WETH: point.shock });
      expect(point.directRepaidUsd).toBe(report.rounds[0]?.repaidUsd ?? 0);
      expect(point.totalRepaidUsd).toBeCloseTo(report.totals.repaidUsd, 6);
      expect(point.badDebtUsd).toBeCloseTo(report.totals.badDebtUsd, 6);
    }
    expect(curve[0]).toEqual({ shock: 0, directRepaidUsd: 0, totalRepaidUsd: 0, badDebtUsd: 0 });
    expect(curve[3]!.totalRepaidUsd).toBeGreaterThan(0);
  });

  it("refuses an unknown asset and a shock of -1 before running anything", () => {
    expect(() => liquidationCurve(book, "DOGE", [0])).toThrow(/unknown shocked asset "DOGE"/);
    expect(() => liquidationCurve(book, "WETH", [-0.1, -1])).toThrow(/above -1/);
  });
});

describe("findCriticalShock", () => {
  it("brackets the first cascading 1% step and bisects it to a width of at most 1e-4", () => {
    const found = findCriticalShock(book, "WETH");
    expect(found.asset).toBe("WETH");
    const s = found.criticalShock;
    expect(s).not.toBeNull();
    const cascades = (shock: number) => simulate(book, { WETH: shock }).rounds.length >= 2;
    // The first grid point that cascades, and no milder one.
    const k = Math.ceil(-s! / 0.01 - 1e-9);
    expect(cascades(-k * 0.01)).toBe(true);
    for (let j = 1; j < k; j++) expect(cascades(-j * 0.01)).toBe(false);
    // s passes; the bisection's last failing point is within 1e-4 of it (found by replaying it).
    expect(cascades(s!)).toBe(true);
    let near = -(k - 1) * 0.01;
    let passing = -k * 0.01;
    while (near - passing > 1e-4) {
      const mid = (near + passing) / 2;
      if (cascades(mid)) passing = mid;
      else near = mid;
    }
    expect(passing).toBe(s);
    expect(near - passing).toBeLessThanOrEqual(1e-4);
  });

  it("finds the smallest drop that creates bad debt, and null when there is none", () => {
    const found = findCriticalShock(book, "WETH");
    const s = found.badDebtShock!;
    expect(simulate(book, { WETH: s }).totals.badDebtUsd).toBeGreaterThan(0);
    const k = Math.ceil(-s / 0.01 - 1e-9);
    for (let j = 1; j < k; j++) expect(simulate(book, { WETH: -j * 0.01 }).totals.badDebtUsd).toBe(0);
    const none = findCriticalShock(book, "WBTC");
    expect(none).toEqual({ asset: "WBTC", criticalShock: null, badDebtShock: null });
  });
});
