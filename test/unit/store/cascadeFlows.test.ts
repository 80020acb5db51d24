import { describe, expect, it } from "vitest";
import { cascadeFlows } from "../../../src/adapters/store/cascadeFlows.js";
import type { CascadeReport, LiquidationRecord } from "../../../src/core/report/cascadeReport.js";

const liquidation = (overrides: Partial<LiquidationRecord>): LiquidationRecord => ({
  round: 1,
  market: "m",
  account: "0x1",
  protocol: "aave-v3",
  healthFactor: 0.9,
  repaid: { USDC: 100 },
  seized: { WETH: 0.05 },
  repaidUsd: 100,
  seizedUsd: 105,
  badDebtUsd: 0,
  cause: "shock",
  sources: [],
  crossProtocol: false,
  ...overrides,
});

const report = (liquidations: LiquidationRecord[]): CascadeReport => ({
  schema: "cascade-report/2",
  shock: { WETH: -0.2 },
  converged: true,
  rounds: [],
  liquidations,
  totals: {
    liquidations: liquidations.length,
    positionsLiquidated: 0,
    repaidUsd: 0,
    badDebtUsd: 0,
    stranded: 2,
    strandedDebtUsd: 750,
    byProtocol: {},
  },
  initialPrices: { WETH: 2000, WBTC: 50_000, USDC: 1 },
  finalPrices: { WETH: 1500, WBTC: 50_000, USDC: 1 },
  amplification: {},
});

describe("cascadeFlows", () => {
  it("groups liquidations by round, protocol, seized and repaid asset", () => {
    const flows = cascadeFlows(
      report([
        liquidation({ account: "0x1" }),
        liquidation({ account: "0x2", repaidUsd: 50, seizedUsd: 52, badDebtUsd: 3 }),
        liquidation({
          round: 2,
          protocol: "morpho-blue",
          account: "0x3",
          crossProtocol: true,
          cause: "cascade",
          sources: ["aave-v3"],
        }),
      ]),
    ).flows;
    expect(flows).toEqual([
      {
        round: 1,
        protocol: "aave-v3",
        collateral: "WETH",
        debt: "USDC",
        liquidations: 2,
        seizedUsd: 157,
        repaidUsd: 150,
        badDebtUsd: 3,
        crossProtocol: 0,
      },
      {
        round: 2,
        protocol: "morpho-blue",
        collateral: "WETH",
        debt: "USDC",
        liquidations: 1,
        seizedUsd: 105,
        repaidUsd: 100,
        badDebtUsd: 0,
        crossProtocol: 1,
      },
    ]);
  });

  it("keeps the stranded debt and each round's oracle reports beside its market prices", () => {
    const round = {
      round: 1,
      liquidations: 1,
      repaidUsd: 100,
      soldUsd: 99,
      badDebtUsd: 0,
      liquidityExhausted: false,
      unprofitable: 3,
      unprofitableDebtUsd: 40,
      prices: { WETH: 1500 },
      oraclePrices: { WETH: 1600 },
    };
    const flows = cascadeFlows({ ...report([liquidation({})]), rounds: [round] });
    expect(flows).toMatchObject({ stranded: 2, strandedDebtUsd: 750 });
    expect(flows.rounds).toEqual([
      {
        round: 1,
        liquidations: 1,
        repaidUsd: 100,
        soldUsd: 99,
        badDebtUsd: 0,
        unprofitable: 3,
        unprofitableDebtUsd: 40,
        prices: { WETH: 1500 },
        oraclePrices: { WETH: 1600 },
      },
    ]);
  });

  it("splits a liquidation that seizes two assets by their value at snapshot prices", () => {
    // 0.1 WETH ($200) and 0.012 WBTC ($600): a quarter and three quarters of the seizure.
    const [wbtc, weth, ...rest] = cascadeFlows(
      report([
        liquidation({
          protocol: "compound-v3",
          seized: { WETH: 0.1, WBTC: 0.012 },
          seizedUsd: 800,
          repaidUsd: 760,
        }),
      ]),
    ).flows;
    expect(rest).toEqual([]);
    expect(weth).toMatchObject({ collateral: "WETH", liquidations: 1 });
    expect(weth?.seizedUsd).toBeCloseTo(200, 9);
    expect(weth?.repaidUsd).toBeCloseTo(190, 9);
    expect(wbtc).toMatchObject({ collateral: "WBTC", liquidations: 1 });
    expect(wbtc?.seizedUsd).toBeCloseTo(600, 9);
    expect(wbtc?.repaidUsd).toBeCloseTo(570, 9);
  });
});
