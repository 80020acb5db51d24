/**
 * Model 2.1 Aave flags (docs/cascade-model-additions.md section 1): paused reserves and grace
 * periods hold liquidations against them, the L2 sentinel allows only HF < 0.95; the engine
 * liquidates nothing it holds and reports the held positions as blocked.
 */
import { describe, expect, it } from "vitest";
import { simulate } from "../../../src/core/propagator/simulate.js";
import {
  aaveLiquidationHealthLimit,
  aaveReserveHold,
  SENTINEL_MIN_HEALTH_FACTOR,
  takenAtSecondsOf,
} from "../../../src/core/rules/aaveLiquidationFlags.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import type { AaveMarketData, SnapshotInput } from "../../../src/core/snapshot/schema.js";
import {
  AAVE_MARKET,
  aaveMarketFixture,
  bookFixture,
  positionFixture,
  snapshotFixture,
} from "../../helpers/snapshotFixtures.js";

const ETH = 3000;
const TAKEN_AT = "2027-01-15T08:00:00.000Z";
const T = Date.parse(TAKEN_AT) / 1000;
const reserve = { liquidationThreshold: 0.8, liquidationBonus: 0.05, protocolFee: 0 };

describe("aaveReserveHold", () => {
  it("holds a paused reserve and one whose grace period runs at takenAt, not a frozen one", () => {
    expect(aaveReserveHold({ ...reserve, paused: true }, T)).toEqual({ reason: "paused" });
    expect(aaveReserveHold({ ...reserve, liquidationGraceUntil: T + 60 }, T)).toEqual({
      reason: "grace-period",
      untilSeconds: T + 60,
    });
    expect(aaveReserveHold({ ...reserve, liquidationGraceUntil: T }, T)).toBeUndefined();
    expect(aaveReserveHold({ ...reserve, liquidationGraceUntil: T - 1 }, T)).toBeUndefined();
    expect(aaveReserveHold({ ...reserve, frozen: true }, T)).toBeUndefined();
    expect(aaveReserveHold(reserve, T)).toBeUndefined();
    // Without a time, a written grace end counts as running.
    expect(aaveReserveHold({ ...reserve, liquidationGraceUntil: 5 }, undefined)?.reason).toBe("grace-period");
  });

  it("lowers the health limit to 0.95 only while the sentinel disallows liquidations", () => {
    const market = (sentinel?: { liquidationAllowed: boolean; gracePeriodSeconds: number }) =>
      parseSnapshot(
        snapshotFixture({ markets: [aaveMarketFixture(sentinel === undefined ? {} : { sentinel })] }),
      ).markets[0] as AaveMarketData;
    expect(aaveLiquidationHealthLimit(market())).toBe(1);
    expect(aaveLiquidationHealthLimit(market({ liquidationAllowed: true, gracePeriodSeconds: 3600 }))).toBe(
      1,
    );
    expect(aaveLiquidationHealthLimit(market({ liquidationAllowed: false, gracePeriodSeconds: 3600 }))).toBe(
      SENTINEL_MIN_HEALTH_FACTOR,
    );
  });

  it("reads takenAt as unix seconds", () => {
    expect(takenAtSecondsOf(TAKEN_AT)).toBe(T);
    expect(takenAtSecondsOf(undefined)).toBeUndefined();
    expect(takenAtSecondsOf("not a time")).toBeUndefined();
  });
});

describe("the schema", () => {
  it("accepts the flags as optional fields and names a wrong one", () => {
    const parsed = parseSnapshot(
      snapshotFixture({
        schema: "cascade-snapshot/2",
        markets: [
          aaveMarketFixture({
            reserves: { WETH: { ...reserve, paused: true, frozen: false, liquidationGraceUntil: T } },
            sentinel: { liquidationAllowed: false, gracePeriodSeconds: 3600 },
          }),
        ],
      }),
    );
    expect((parsed.markets[0] as AaveMarketData).reserves.WETH).toMatchObject({
      paused: true,
      frozen: false,
    });
    const bad = snapshotFixture({
      markets: [
        aaveMarketFixture({ reserves: { WETH: { ...reserve, paused: "yes" as unknown as boolean } } }),
      ],
    });
    expect(() => parseSnapshot(bad)).toThrow(/markets\[0\]\.reserves\.WETH\.paused/);
  });
});

const WEIGHTED_USD: Record<string, number> = { WETH: ETH * 0.8, WBTC: 60_000 * 0.75 };

/** One position: `collateral` (10 WETH by default) against USDC debt at health factor `hf`. */
function cascade(
  hf: number,
  market: Partial<Extract<SnapshotInput["markets"][number], { protocol: "aave-v3" }>>,
  collateral: Record<string, number> = { WETH: 10 },
) {
  const weighted = Object.entries(collateral).reduce((sum, [a, n]) => sum + n * WEIGHTED_USD[a]!, 0);
  const debt = weighted / hf;
  const book = bookFixture({
    source: { chainIds: [1], blocks: {}, staleMarkets: [], takenAt: TAKEN_AT },
    markets: [aaveMarketFixture({ liquidationLogic: "v3.0", ...market })],
    positions: [positionFixture(AAVE_MARKET, "0xa", collateral, { USDC: debt })],
  });
  return { report: simulate(book, {}), debt };
}

describe("Aave flags in the engine", () => {
  const base = aaveMarketFixture().reserves;

  it("liquidates as before without flags, and the report carries no blocked field", () => {
    const { report } = cascade(0.97, {});
    expect(report.liquidations).toHaveLength(1);
    expect(report.totals).not.toHaveProperty("blocked");
    expect(report.rounds[0]).not.toHaveProperty("blocked");
  });

  it("liquidates nothing against a paused collateral or a paused debt, and reports the debt as blocked", () => {
    for (const paused of ["WETH", "USDC"]) {
      const reserves = { ...base, [paused]: { ...base[paused]!, paused: true } };
      const { report, debt } = cascade(0.97, { reserves });
      expect(report.liquidations, paused).toEqual([]);
      expect(report.totals.blocked).toBe(1);
      expect(report.totals.blockedDebtUsd).toBeCloseTo(debt, 9);
      expect(report.totals.stranded).toBe(0);
    }
  });

  it("takes a free collateral when the largest is held", () => {
    const reserves = { ...base, WETH: { ...base.WETH!, liquidationGraceUntil: T + 3600 } };
    // 10 WETH ($30k) and 0.1 WBTC ($6k): WETH would be taken, it is in its grace period.
    const { report } = cascade(0.97, { reserves }, { WETH: 10, WBTC: 0.1 });
    expect(report.liquidations).toHaveLength(1);
    expect(Object.keys(report.liquidations[0]!.seized)).toEqual(["WBTC"]);
    expect(report.totals.blocked).toBe(0);
  });

  it("liquidates once a grace period has ended at takenAt", () => {
    const reserves = { ...base, WETH: { ...base.WETH!, liquidationGraceUntil: T } };
    const { report } = cascade(0.97, { reserves });
    expect(report.liquidations).toHaveLength(1);
    expect(report.totals.blocked).toBeUndefined();
  });

  it("under a sentinel that disallows, holds HF 0.97 and liquidates HF 0.9", () => {
    const sentinel = { liquidationAllowed: false, gracePeriodSeconds: 3600 };
    const held = cascade(0.97, { sentinel });
    expect(held.report.liquidations).toEqual([]);
    expect(held.report.totals.blocked).toBe(1);
    expect(held.report.totals.blockedDebtUsd).toBeCloseTo(held.debt, 9);
    const low = cascade(0.9, { sentinel });
    expect(low.report.liquidations).toHaveLength(1);
    expect(
      cascade(0.97, { sentinel: { ...sentinel, liquidationAllowed: true } }).report.liquidations,
    ).toHaveLength(1);
  });

  it("a shock that tips a position on a paused market leaves it held, round after round", () => {
    const reserves = { ...base, WETH: { ...base.WETH!, paused: true } };
    const debt = (10 * ETH * 0.8) / 1.1;
    const book = bookFixture({
      markets: [aaveMarketFixture({ reserves })],
      positions: [positionFixture(AAVE_MARKET, "0xa", { WETH: 10 }, { USDC: debt })],
    });
    const report = simulate(book, { WETH: -0.2 });
    expect(report.liquidations).toEqual([]);
    expect(report.totals.blocked).toBe(1);
    expect(report.totals.blockedDebtUsd).toBeCloseTo(debt, 9);
  });
});
