/**
 * Ground truth on the mainnet profile: a WETH crash made on chain in its Uniswap V3 pool (then the
 * keeper), the real indexers' snapshot, model v2's prediction from it, and the devnet's liquidator
 * on chain (keeper at each round's start, health at the oracles, profit at the pools, sales along
 * the quote tree with real swaps), compared round by round.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runValidation, type ValidationResult } from "../../../src/app/validate/runValidation.js";
import { type Devnet, startDevnet } from "../../../src/devnet/startDevnet.js";
import { MAINNET_UNISWAP_V3_POOLS } from "../../../src/devnet/uniswap/mainnetUniswapV3Pools.js";

let devnet: Devnet;
let result: ValidationResult;
let bigDevnet: Devnet;
let exhausting: ValidationResult;

beforeAll(async () => {
  [devnet, bigDevnet] = await Promise.all([
    startDevnet({ profile: "mainnet", seed: 2, positions: 150 }),
    startDevnet({ profile: "mainnet", seed: 6, positions: 600 }),
  ]);
  result = await runValidation({ devnet, shock: { WETH: -0.2 }, gasUsd: 50 });
  exhausting = await runValidation({ devnet: bigDevnet, shock: { WETH: -0.3 }, gasUsd: 50 });
}, 300_000);

afterAll(async () => {
  await Promise.all([devnet?.stop(), bigDevnet?.stop()]);
});

function expectAgreement(validation: ValidationResult): void {
  for (const boundary of validation.comparison.boundary)
    console.log(`boundary case (allowed): ${JSON.stringify(boundary)}`);
  expect(validation.profile).toBe("mainnet");
  expect(validation.reverted, "liquidations the chain refused").toEqual([]);
  expect(validation.comparison.diffs, "round, account, field, predicted, realized").toEqual([]);
  expect(validation.comparison.agree).toBe(true);
  expect(validation.comparison.maxRelative).toBeLessThanOrEqual(1e-6);
  expect(validation.predicted.converged).toBe(true);
  expect(validation.realized.converged).toBe(true);
}

describe("ground truth on the mainnet profile", () => {
  it("a WETH crash: the model's rounds are the chain's (sets, amounts, prices within 1e-6)", () => {
    expectAgreement(result);
    // A cascade, not one round: the pools' moves pushed ETH/USD again before rounds 2 and 3.
    expect(result.realized.rounds.length).toBeGreaterThanOrEqual(2);
    expect(result.realized.rounds.map((r) => r.liquidations)).toEqual(
      result.predicted.rounds.map((r) => r.liquidations),
    );
    // Small positions the $50 gas strands, on both sides: the book's $50-$500 ones among them.
    expect(result.realized.totals.stranded).toBeGreaterThan(0);
    expect(result.realized.totals.strandedDebtUsd / result.realized.totals.stranded).toBeLessThan(500);
    expect(result.realized.rounds.map((r) => r.unprofitable)).toEqual(
      result.predicted.rounds.map((r) => r.unprofitable),
    );
    // Every feed's reported price after each round, as the chain's feeds answered.
    result.realized.rounds.forEach((round, k) => {
      for (const [oracle, price] of Object.entries(round.oraclePrices))
        expect(result.predicted.rounds[k]!.oraclePrices[oracle]).toBeCloseTo(price, 6);
    });
  });

  it("WETH -30% on 600 positions, gas $50: a whale's seized WETH runs round 1's sales past the WETH/USDC pool's last range, on chain as in the model", () => {
    expectAgreement(exhausting);
    // The book's whales against USDC hold one to two times the WETH/USDC pool's deepest range in WETH:
    // one liquidated in round 1 seizes more than any other range of the pool holds.
    const wethPool = MAINNET_UNISWAP_V3_POOLS.find((pool) => pool.asset === "WETH")!;
    const ranges = wethPool.ranges.map((range) => range.valueUsd).sort((a, b) => b - a);
    const whales = new Set(bigDevnet.positions.filter((p) => p.whale).map((p) => p.account.toLowerCase()));
    const whaleLiquidations = exhausting.realized.liquidations.filter(
      (l) => l.round === 1 && whales.has(l.account.toLowerCase()),
    );
    expect(whaleLiquidations.length).toBeGreaterThan(0);
    const roundPrice = exhausting.realized.rounds[0]!.prices.WETH!;
    expect(whaleLiquidations.some((l) => (l.seized.WETH ?? 0) * roundPrice > ranges[1]!)).toBe(true);
    expect(exhausting.predicted.rounds[0]!.liquidityExhausted).toBe(true);
    expect(exhausting.realized.rounds[0]!.liquidityExhausted).toBe(true);
    // The pool stops at the edge of the liquidity the indexer reads (0.55 of the start), not at the tick bound.
    expect(exhausting.realized.rounds[0]!.prices.WETH!).toBeGreaterThan(1600);
    expect(exhausting.realized.rounds.length).toBeGreaterThanOrEqual(2);
  });
});
