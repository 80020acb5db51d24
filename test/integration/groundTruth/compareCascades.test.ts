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
    // unit (1e-6 USDC at $1); 2.5e-6 USD apart is over the two units a first liquidation's bad
    // debt may differ by (the debt's rounding and the collateral's).
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
      {
        round: 1,
        market: MARKET,
        account: "0xedge",
        kind: "health",
        healthFactor: 1 - 5e-10,
        liquidatedBy: "predicted",
      },
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

  it("a liquidation on one side only whose profit after gas is within 1e-9 of zero is a profit boundary case", () => {
    // Profit 5e-7 USD on $1,000 repaid: 5e-10 relative, on the profit rule's edge.
    const edge = liquidation({ account: "0xedge", repaidUsd: 1000, profitUsd: 5e-7 });
    // Profit $0.01 on $1,000 repaid: 1e-5 relative, clearly profitable, so a real difference.
    const paying = liquidation({ account: "0xpays", repaidUsd: 1000, profitUsd: 0.01 });
    const result = compareCascades(report([liquidation()]), report([liquidation(), edge, paying]));
    expect(result.boundary).toEqual([
      {
        round: 1,
        market: MARKET,
        account: "0xedge",
        kind: "profit",
        healthFactor: 0.97,
        profitUsd: 5e-7,
        liquidatedBy: "realized",
      },
    ]);
    expect(result.diffs.filter((d) => d.field === "liquidated").map((d) => d.account)).toEqual(["0xpays"]);
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

  it("compares every oracle's report each round: a wrong reading or a missing oracle is a difference", () => {
    const FEED = "oracle:31337:0xfeed";
    const COMPOSED = "morpho-blue:31337:0xmarket/collateral";
    const withOracles = (oraclePrices: Record<string, number>): CascadeReport => {
      const base = report([liquidation()]);
      return { ...base, rounds: base.rounds.map((r) => ({ ...r, oraclePrices })) };
    };
    const predicted = withOracles({ [FEED]: 2400, [COMPOSED]: 2880, USDC: 1 });
    // Within 1e-6 relative: agrees.
    expect(
      compareCascades(predicted, withOracles({ [FEED]: 2400.0012, [COMPOSED]: 2880, USDC: 1 })).agree,
    ).toBe(true);
    const wrong = compareCascades(predicted, withOracles({ [FEED]: 2400, [COMPOSED]: 2881, USDC: 1 }));
    expect(wrong.diffs).toEqual([
      {
        round: 1,
        field: `oracle.${COMPOSED}`,
        predicted: 2880,
        realized: 2881,
        relative: relativeDifference(2880, 2881),
      },
    ]);
    const missing = compareCascades(predicted, withOracles({ [FEED]: 2400, USDC: 1 }));
    expect(missing.diffs).toEqual([
      { round: 1, field: `oracle.${COMPOSED}`, predicted: 2880, realized: null },
    ]);
    expect(missing.rounds[0]?.realized?.oraclePrices).toEqual({ [FEED]: 2400, USDC: 1 });
  });

  describe("rounding carried across rounds: a position's k-th liquidation may differ by k units", () => {
    const decimals = { USDC: 6, WBTC: 8 };
    // One WBTC-collateral position liquidated in rounds 1, 2 and 3 at $60,000: a satoshi is
    // $0.0006, the position's largest unit.
    const nth = (round: number, overrides: Partial<LiquidationRecord> = {}): LiquidationRecord =>
      liquidation({
        round,
        healthFactor: 0.95,
        repaid: { USDC: 30 },
        seized: { WBTC: 0.000525 },
        repaidUsd: 30,
        seizedUsd: 31.5,
        ...overrides,
      });
    const cascade = (third: Partial<LiquidationRecord> = {}, second: Partial<LiquidationRecord> = {}) =>
      report([nth(1), nth(2, second), nth(3, third)]);

    it("amounts: the third liquidation within 3 units agrees, beyond 3 disagrees; the first has 1", () => {
      const predicted = cascade();
      // 2.9 satoshis on 52,500 (5.5e-5 relative).
      expect(compareCascades(predicted, cascade({ seized: { WBTC: 0.000525029 } }), { decimals }).agree).toBe(
        true,
      );
      const beyond = compareCascades(predicted, cascade({ seized: { WBTC: 0.000525031 } }), { decimals });
      expect(beyond.diffs.map((d) => [d.round, d.field])).toEqual([[3, "seized.WBTC"]]);
      // The same 2.9 satoshis on a first liquidation disagree.
      const first = compareCascades(report([nth(1)]), report([nth(1, { seized: { WBTC: 0.000525029 } })]), {
        decimals,
      });
      expect(first.diffs.map((d) => d.field)).toEqual(["seized.WBTC"]);
      // A debt amount may differ by the position's largest unit at the price: 3 × $0.0006 of USDC.
      expect(compareCascades(predicted, cascade({ repaid: { USDC: 30.0017 } }), { decimals }).agree).toBe(
        true,
      );
      expect(compareCascades(predicted, cascade({ repaid: { USDC: 30.0019 } }), { decimals }).agree).toBe(
        false,
      );
    });

    it("USD values: k units of the largest-unit asset, bad debt 2k (the debt's roundings and the collateral's)", () => {
      const predicted = cascade();
      expect(compareCascades(predicted, cascade({ seizedUsd: 31.5017 }), { decimals }).agree).toBe(true);
      expect(compareCascades(predicted, cascade({ seizedUsd: 31.5019 }), { decimals }).agree).toBe(false);
      expect(compareCascades(predicted, cascade({ badDebtUsd: 0.0035 }), { decimals }).agree).toBe(true);
      expect(compareCascades(predicted, cascade({ badDebtUsd: 0.0037 }), { decimals }).agree).toBe(false);
    });

    it("health factor: (k − 1) units of the collateral and debt moved so far, over the debt repaid", () => {
      // Second liquidation: (2 − 1) × ($0.0006 + 0.95 × $0.000001) / $30 = 2.0032e-5.
      const allowance = (0.0006 + 0.95 * 0.000001) / 30;
      const predicted = report([nth(1), nth(2)]);
      const at = (healthFactor: number) =>
        compareCascades(predicted, report([nth(1), nth(2, { healthFactor })]), { decimals });
      expect(at(0.95 + 0.98 * allowance).agree).toBe(true);
      expect(at(0.95 + 1.02 * allowance).diffs.map((d) => [d.round, d.field])).toEqual([[2, "healthFactor"]]);
      // A first liquidation's health was read from the same position on both sides: no allowance.
      const first = compareCascades(
        report([nth(1)]),
        report([nth(1, { healthFactor: 0.95 + 0.5 * allowance })]),
        { decimals },
      );
      expect(first.diffs.map((d) => d.field)).toEqual(["healthFactor"]);
      // The third liquidation has twice the second's.
      const third = (healthFactor: number) =>
        compareCascades(cascade(), cascade({ healthFactor }), { decimals }).agree;
      expect(third(0.95 + 1.9 * allowance)).toBe(true);
      expect(third(0.95 + 2.1 * allowance)).toBe(false);
    });
  });

  it("relativeDifference: zero for two values below 1e-9, else the gap over the larger", () => {
    expect(relativeDifference(0, 5e-10)).toBe(0);
    expect(relativeDifference(0, 1e-6)).toBe(1);
    expect(relativeDifference(-2, 2)).toBe(2);
  });
});
