import { describe, expect, it } from "vitest";
import type {
  CascadeReport,
  LiquidationRecord,
  RoundSummary,
} from "../../../src/core/report/cascadeReport.js";
import { summarizeCascadeDifference } from "../../../src/core/validation/summarizeCascadeDifference.js";

/** A report whose rounds liquidate the given accounts (market m), each repaying `repaidUsd` with `badDebtUsd`. */
function report(
  rounds: ReadonlyArray<ReadonlyArray<{ account: string; repaidUsd: number; badDebtUsd?: number }>>,
): CascadeReport {
  const liquidations: LiquidationRecord[] = rounds.flatMap((round, k) =>
    round.map((l) => ({
      round: k + 1,
      market: "m",
      account: l.account,
      protocol: "aave-v3" as const,
      healthFactor: 0.9,
      repaid: { USDC: l.repaidUsd },
      seized: { WETH: 1 },
      repaidUsd: l.repaidUsd,
      seizedUsd: l.repaidUsd * 1.05,
      badDebtUsd: l.badDebtUsd ?? 0,
      cause: k === 0 ? ("shock" as const) : ("cascade" as const),
      sources: [],
      crossProtocol: false,
    })),
  );
  const summaries: RoundSummary[] = rounds.map((round, k) => ({
    round: k + 1,
    liquidations: round.length,
    repaidUsd: round.reduce((s, l) => s + l.repaidUsd, 0),
    soldUsd: 0,
    badDebtUsd: round.reduce((s, l) => s + (l.badDebtUsd ?? 0), 0),
    liquidityExhausted: false,
    unprofitable: 0,
    unprofitableDebtUsd: 0,
    prices: {},
    oraclePrices: {},
  }));
  const sum = (f: (r: RoundSummary) => number) => summaries.reduce((s, r) => s + f(r), 0);
  return {
    schema: "cascade-report/2",
    shock: {},
    converged: true,
    rounds: summaries,
    liquidations,
    totals: {
      liquidations: liquidations.length,
      positionsLiquidated: new Set(liquidations.map((l) => l.account)).size,
      repaidUsd: sum((r) => r.repaidUsd),
      badDebtUsd: sum((r) => r.badDebtUsd),
      stranded: 0,
      strandedDebtUsd: 0,
      byProtocol: {},
    },
    initialPrices: {},
    finalPrices: {},
    amplification: {},
  };
}

describe("summarizeCascadeDifference", () => {
  it("sets each side's rounds beside the other's, zeros where a side has no such round", () => {
    const predicted = report([
      [
        { account: "0xA", repaidUsd: 100 },
        { account: "0xB", repaidUsd: 50, badDebtUsd: 5 },
      ],
      [{ account: "0xC", repaidUsd: 30 }],
      [{ account: "0xD", repaidUsd: 20, badDebtUsd: 2 }],
    ]);
    const realized = report([[{ account: "0xa", repaidUsd: 100 }], [{ account: "0xC", repaidUsd: 40 }]]);
    const difference = summarizeCascadeDifference(predicted, realized);
    expect(difference.rounds).toEqual([
      {
        round: 1,
        predicted: { liquidations: 2, repaidUsd: 150, badDebtUsd: 5 },
        realized: { liquidations: 1, repaidUsd: 100, badDebtUsd: 0 },
      },
      {
        round: 2,
        predicted: { liquidations: 1, repaidUsd: 30, badDebtUsd: 0 },
        realized: { liquidations: 1, repaidUsd: 40, badDebtUsd: 0 },
      },
      {
        round: 3,
        predicted: { liquidations: 1, repaidUsd: 20, badDebtUsd: 2 },
        realized: { liquidations: 0, repaidUsd: 0, badDebtUsd: 0 },
      },
    ]);
    expect(difference.totals).toEqual({
      predicted: { liquidations: 4, repaidUsd: 200, badDebtUsd: 7, rounds: 3 },
      realized: { liquidations: 2, repaidUsd: 140, badDebtUsd: 0, rounds: 2 },
    });
    // 0xA and 0xa are one account; B and D were liquidated only in the prediction.
    expect(difference.onlyPredicted).toBe(2);
    expect(difference.onlyRealized).toBe(0);
    expect(difference.relative.liquidations).toBe(1);
    expect(difference.relative.repaidUsd).toBeCloseTo(200 / 140 - 1, 12);
    expect(difference.relative.badDebtUsd).toBe(Number.POSITIVE_INFINITY);
  });

  it("is all zeros for two equal cascades", () => {
    const cascade = report([[{ account: "0xA", repaidUsd: 10, badDebtUsd: 1 }]]);
    const difference = summarizeCascadeDifference(cascade, cascade);
    expect(difference.relative).toEqual({ liquidations: 0, repaidUsd: 0, badDebtUsd: 0 });
    expect(difference.onlyPredicted + difference.onlyRealized).toBe(0);
  });
});
