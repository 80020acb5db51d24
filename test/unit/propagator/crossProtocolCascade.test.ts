import { describe, expect, it } from "vitest";
import { simulate } from "../../../src/core/propagator/simulate.js";
import {
  AAVE_MARKET,
  assetFixture,
  bookFixture,
  COMPOUND_MARKET,
  MORPHO_MARKET,
  poolAssetFixture,
  positionFixture,
} from "../../helpers/snapshotFixtures.js";

/** The model's pool arithmetic, written out again for the expected values. */
const FEE = 0.003;
function sellInto(pool: { x: number; y: number }, a: number): { x: number; y: number } {
  const out = (a * (1 - FEE) * pool.y) / (pool.x + a * (1 - FEE));
  return { x: pool.x + a, y: pool.y - out };
}
const priceOf = (pool: { x: number; y: number }) => pool.y / pool.x;

describe("a three-round cross-protocol cascade", () => {
  // WETH: pool of 1000 WETH / $3M, 30 bps. WETH -10% liquidates an Aave position (round 1),
  // whose sale tips a Morpho position (round 2), whose sale tips a Compound position (round 3).
  const k = 1000 * 3_000_000;
  const p0 = 2700;
  const pool0 = { x: Math.sqrt(k / p0), y: Math.sqrt(k * p0) };

  // Round 1, Aave v3.3: 10 WETH (lt 0.8, bonus 5%, fee 10%), $24000 USDC: HF 0.9 at $2700: full close.
  const aaveDebt = 24_000;
  const aaveSeize = (aaveDebt * 1 * 1.05) / p0;
  const aaveFee = (aaveSeize - aaveSeize / 1.05) * 0.1;
  const aaveSold = aaveSeize - aaveFee;
  const pool1 = sellInto(pool0, aaveSold);
  const p1 = priceOf(pool1);

  // Round 2, Morpho (lltv 0.86): 1 WETH; debt healthy at p0 but not at p1.
  const lltv = 0.86;
  const lif = 1 / (0.3 * lltv + 0.7);
  const morphoDebt = ((p0 + p1) / 2) * lltv;
  const morphoSeize = Math.min(1, (morphoDebt * 1 * lif) / p1);
  const morphoRepay = (morphoSeize * p1) / (lif * 1);
  const pool2 = sellInto(pool1, morphoSeize);
  const p2 = priceOf(pool2);

  // Round 3, Compound (lcf 0.83, liquidationFactor 0.95): 1 WETH; healthy at p1, not at p2.
  const compoundDebt = ((p1 + p2) / 2) * 0.83;
  const pool3 = sellInto(pool2, 1);
  const p3 = priceOf(pool3);

  const book = bookFixture({
    assets: [poolAssetFixture("WETH", 3000, 1000, 30), assetFixture("USDC", 1), assetFixture("WBTC", 60_000)],
    positions: [
      positionFixture(COMPOUND_MARKET, "0xc", { WETH: 1 }, { USDC: compoundDebt }),
      positionFixture(MORPHO_MARKET, "0xm", { WETH: 1 }, { USDC: morphoDebt }),
      positionFixture(AAVE_MARKET, "0xa", { WETH: 10 }, { USDC: aaveDebt }),
      // Healthy throughout: only WBTC, which never moves.
      positionFixture(AAVE_MARKET, "0xb", { WBTC: 1 }, { USDC: 10_000 }),
    ],
  });
  const report = simulate(book, { WETH: -0.1 });

  it("checks the hand-built scenario is what it claims", () => {
    expect(morphoDebt).toBeLessThan(p0 * lltv);
    expect(morphoDebt).toBeGreaterThan(p1 * lltv);
    expect(morphoSeize).toBeLessThan(1);
    expect(compoundDebt).toBeLessThan(p1 * 0.83);
    expect(compoundDebt).toBeGreaterThan(p2 * 0.83);
  });

  it("round 1: the shock liquidates Aave; its WETH sale moves the pool", () => {
    const round = report.rounds[0]!;
    expect(round.round).toBe(1);
    expect(round.liquidations).toBe(1);
    expect(round.repaidUsd).toBeCloseTo(aaveDebt, 6);
    expect(round.soldUsd).toBeCloseTo(aaveSold * p0, 6);
    expect(round.badDebtUsd).toBe(0);
    expect(round.liquidityExhausted).toBe(false);
    expect(round.prices.WETH).toBeCloseTo(p1, 9);
    expect(round.prices.USDC).toBe(1);
    const l = report.liquidations[0]!;
    expect(l).toMatchObject({
      round: 1,
      market: AAVE_MARKET,
      account: "0xa",
      protocol: "aave-v3",
      cause: "shock",
    });
    expect(l.sources).toEqual([]);
    expect(l.crossProtocol).toBe(false);
    expect(l.healthFactor).toBeCloseTo((10 * p0 * 0.8) / aaveDebt, 12);
    expect(l.seized.WETH).toBeCloseTo(aaveSeize, 12);
  });

  it("round 2: Morpho falls to Aave's sale (cross-protocol)", () => {
    const round = report.rounds[1]!;
    expect(round.liquidations).toBe(1);
    expect(round.repaidUsd).toBeCloseTo(morphoRepay, 6);
    expect(round.soldUsd).toBeCloseTo(morphoSeize * p1, 6);
    expect(round.prices.WETH).toBeCloseTo(p2, 9);
    const l = report.liquidations[1]!;
    expect(l).toMatchObject({ round: 2, account: "0xm", protocol: "morpho-blue", cause: "cascade" });
    expect(l.sources).toEqual(["aave-v3"]);
    expect(l.crossProtocol).toBe(true);
    expect(l.healthFactor).toBeCloseTo((1 * p1 * lltv) / morphoDebt, 12);
  });

  it("round 3: Compound falls to Morpho's sale; then nothing and the run converges", () => {
    const round = report.rounds[2]!;
    expect(round.liquidations).toBe(1);
    expect(round.repaidUsd).toBeCloseTo(compoundDebt, 6);
    expect(round.soldUsd).toBeCloseTo(p2, 6);
    expect(round.badDebtUsd).toBe(0); // 0.95 p2 > compoundDebt
    expect(round.prices.WETH).toBeCloseTo(p3, 9);
    const l = report.liquidations[2]!;
    expect(l).toMatchObject({ round: 3, account: "0xc", protocol: "compound-v3", cause: "cascade" });
    expect(l.sources).toEqual(["morpho-blue"]);
    expect(l.crossProtocol).toBe(true);
    expect(report.rounds).toHaveLength(3);
    expect(report.converged).toBe(true);
  });

  it("totals, prices and amplification", () => {
    expect(report.totals.liquidations).toBe(3);
    expect(report.totals.positionsLiquidated).toBe(3);
    expect(report.totals.repaidUsd).toBeCloseTo(aaveDebt + morphoRepay + compoundDebt, 6);
    expect(report.totals.byProtocol["aave-v3"]).toEqual({
      liquidations: 1,
      repaidUsd: report.liquidations[0]!.repaidUsd,
      badDebtUsd: 0,
    });
    expect(report.totals.byProtocol["morpho-blue"]?.liquidations).toBe(1);
    expect(report.totals.byProtocol["compound-v3"]?.liquidations).toBe(1);
    expect(report.initialPrices).toEqual({ USDC: 1, WBTC: 60_000, WETH: 3000 });
    expect(report.finalPrices.WETH).toBeCloseTo(p3, 9);
    expect(report.amplification.WETH).toBeCloseTo((1 - p3 / 3000) / (1 - p0 / 3000), 9);
  });

  it("stops at maxRounds with converged false", () => {
    const short = simulate(book, { WETH: -0.1 }, { maxRounds: 2 });
    expect(short.rounds).toHaveLength(2);
    expect(short.converged).toBe(false);
  });
});
