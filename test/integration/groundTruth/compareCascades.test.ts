/** The comparison itself (pure): what counts as agreement, and how a disagreement reads. */
import { describe, expect, it } from "vitest";
import type { CascadeReport, LiquidationRecord } from "../../../src/core/report/cascadeReport.js";
import { compareCascades, relativeDifference } from "../../../src/core/validation/compareCascades.js";

const MARKET = "aave-v3:31337:0xpool";

function liquidation(overrides: Partial<LiquidationRecord> = {}): LiquidationRecord {
  return {
    round: 1,
    market: MARKET,
    account: "0xabc",
    protocol: "aave-v3",
    healthFactor: 0.97,
    repaid: { USDC: 1000 },
    seized: { WETH: 0.35 },
    repaidUsd: 1000,
    seizedUsd: 1050,
    badDebtUsd: 0,
    cause: "shock",
    sources: [],
    crossProtocol: false,
    ...overrides,
  };
}

function report(liquidations: LiquidationRecord[], wethAfter = 2900): CascadeReport {
  const rounds = [...new Set(liquidations.map((l) => l.round))].map((round) => ({
    round,
    liquidations: liquidations.filter((l) => l.round === round).length,
    repaidUsd: liquidations.filter((l) => l.round === round).reduce((s, l) => s + l.repaidUsd, 0),
    soldUsd: 1000,
    badDebtUsd: 0,
    liquidityExhausted: false,
    unprofitable: 0,
    unprofitableDebtUsd: 0,
    prices: { WETH: wethAfter, USDC: 1 },
    oraclePrices: { WETH: wethAfter, USDC: 1 },
  }));
  return {
    schema: "cascade-report/2",
    shock: {},
    converged: true,
    rounds,
    liquidations,
    totals: {
      liquidations: liquidations.length,
      positionsLiquidated: 1,
      repaidUsd: 0,
      badDebtUsd: 0,
      stranded: 0,
      strandedDebtUsd: 0,
      byProtocol: {},
    },
    initialPrices: { WETH: 3000, USDC: 1 },
    finalPrices: { WETH: wethAfter, USDC: 1 },
    amplification: {},
  };
}

describe("compareCascades", () => {
  it("lets a value differ by one token unit when that is more than 1e-6 relative", () => {
    // A bad debt of $0.30 in USDC (6 decimals): 8e-7 USD apart is 2.7e-6 relative but under one
    // unit (1e-6 USDC at $1); 2.5e-6 USD apart is over one unit.
    const at = (badDebtUsd: number, repaid: number) =>
      report([liquidation({ badDebtUsd, repaid: { USDC: repaid }, repaidUsd: repaid })]);
    const predicted = at(0.3, 1000);
    const decimals = { USDC: 6, WETH: 18 };
    expect(compareCascades(predicted, at(0.3000008, 1000), { decimals }).agree).toBe(true);
    expect(compareCascades(predicted, at(0.3000008, 1000)).agree).toBe(false);
    const twoUnits = compareCascades(predicted, at(0.3000025, 1000), { decimals });
    expect(twoUnits.diffs.map((d) => d.field)).toEqual(["badDebtUsd"]);
    // Token amounts: within a unit of USDC passes, whatever the relative difference.
    expect(compareCascades(at(0, 0.000001), at(0, 0.0000015), { decimals }).agree).toBe(true);
  });

  it("agrees within 1e-6 relative and ignores account case", () => {
    const predicted = report([liquidation({ account: "0xABC", repaid: { USDC: 1000 }, repaidUsd: 1000 })]);
    const realized = report([liquidation({ repaid: { USDC: 1000.0009 }, repaidUsd: 1000.0009 })], 2900.0029);
    const result = compareCascades(predicted, realized);
    expect(result.diffs).toEqual([]);
    expect(result.agree).toBe(true);
    expect(result.matched).toBe(1);
    // 0.0009 / 1000.0009 and 0.0029 / 2900.0029, by hand.
    expect(result.maxRelative).toBeCloseTo(0.0029 / 2900.0029, 12);
  });

  it("lists every difference beyond 1e-6 as round, account, field, predicted, realized", () => {
    const predicted = report([liquidation()]);
    const realized = report([
      liquidation({
        seized: { WETH: 0.3501 },
        sources: ["morpho-blue"],
        crossProtocol: true,
      }),
    ]);
    const { agree, diffs } = compareCascades(predicted, realized);
    expect(agree).toBe(false);
    expect(diffs).toEqual([
      {
        round: 1,
        market: MARKET,
        account: "0xabc",
        field: "seized.WETH",
        predicted: 0.35,
        realized: 0.3501,
        relative: relativeDifference(0.35, 0.3501),
      },
      {
        round: 1,
        market: MARKET,
        account: "0xabc",
        field: "sources",
        predicted: "",
        realized: "morpho-blue",
      },
      {
        round: 1,
        market: MARKET,
        account: "0xabc",
        field: "crossProtocol",
        predicted: "false",
        realized: "true",
      },
    ]);
  });

  it("a position liquidated on one side only is a difference, unless its health is within 1e-9 of 1", () => {
    const boundary = liquidation({ account: "0xedge", healthFactor: 1 - 5e-10 });
    const far = liquidation({ account: "0xfar", healthFactor: 0.999 });
    const result = compareCascades(report([liquidation(), boundary, far]), report([liquidation()]));
    expect(result.boundary).toEqual([
      { round: 1, market: MARKET, account: "0xedge", healthFactor: 1 - 5e-10, liquidatedBy: "predicted" },
    ]);
    expect(result.diffs.filter((d) => d.field === "liquidated")).toEqual([
      {
        round: 1,
        market: MARKET,
        account: "0xfar",
        field: "liquidated",
        predicted: "yes (hf 0.999)",
        realized: "no",
      },
    ]);
  });

  it("a round on one side only is a difference", () => {
    const second = liquidation({ round: 2, cause: "cascade", sources: ["aave-v3"] });
    const result = compareCascades(report([liquidation(), second]), report([liquidation()]));
    expect(result.diffs).toContainEqual({
      round: 2,
      field: "round",
      predicted: "1 liquidations",
      realized: null,
    });
  });

  it("the profit rule: a different unprofitable count in a round, or a different stranded count, is a difference", () => {
    const base = report([liquidation()]);
    const skipped: CascadeReport = {
      ...base,
      rounds: base.rounds.map((r) => ({ ...r, unprofitable: 2, unprofitableDebtUsd: 3000 })),
      totals: { ...base.totals, stranded: 2, strandedDebtUsd: 3000 },
    };
    expect(compareCascades(skipped, skipped).agree).toBe(true);
    const result = compareCascades(skipped, base);
    expect(result.agree).toBe(false);
    expect(result.diffs.map((d) => d.field).sort()).toEqual([
      "round.unprofitable",
      "round.unprofitableDebtUsd",
      "totals.stranded",
      "totals.strandedDebtUsd",
    ]);
    expect(result.rounds[0]?.predicted).toMatchObject({ unprofitable: 2, unprofitableDebtUsd: 3000 });
  });

  it("relativeDifference: zero for two values below 1e-9, else the gap over the larger", () => {
    expect(relativeDifference(0, 5e-10)).toBe(0);
    expect(relativeDifference(0, 1e-6)).toBe(1);
    expect(relativeDifference(-2, 2)).toBe(2);
  });
});
