import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileBook } from "../../../src/core/book/compileBook.js";
import { createCascadeWorkspace, runCascade } from "../../../src/core/propagator/runCascade.js";
import { shockFactors } from "../../../src/core/propagator/shockFactors.js";
import { simulate } from "../../../src/core/propagator/simulate.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import type { SnapshotInput } from "../../../src/core/snapshot/schema.js";
import {
  AAVE_MARKET,
  aaveMarketFixture,
  assetFixture,
  COMPOUND_MARKET,
  compoundMarketFixture,
  MORPHO_MARKET,
  morphoMarketFixture,
  poolAssetFixture,
  snapshotFixture,
} from "../../helpers/snapshotFixtures.js";
import { differencesFromReference } from "../../reference/differencesFromReference.js";
import { referenceSimulate } from "../../reference/referenceSimulate.js";

const SEED = Number(process.env.SEED ?? 20261121);
const RUNS = 60;
const params = { seed: SEED, numRuns: RUNS };

const PRICES: Record<string, number> = { WETH: 3000, wstETH: 3500, WBTC: 60_000, USDC: 1 };
const LT: Record<string, number> = { WETH: 0.8, wstETH: 0.79, WBTC: 0.75, USDC: 0.78 };

interface PositionSpec {
  readonly kind: 0 | 1 | 2;
  readonly collateral: readonly string[];
  readonly collateralUsd: number;
  readonly healthFactor: number;
  readonly debtAsset: string;
  /** Aave only: share of the debt moved to a second asset (exercises the v3.3 cap and dust rule). */
  readonly secondDebtShare: number;
  readonly emode: boolean;
}

const positionSpec = (minHealth: number, debtAssets: readonly string[]) =>
  fc.record({
    kind: fc.constantFrom(0 as const, 1 as const, 2 as const),
    collateral: fc.subarray(["WETH", "wstETH", "WBTC"], { minLength: 1 }),
    collateralUsd: fc.double({ min: 100, max: 2_000_000, noNaN: true }),
    healthFactor: fc.double({ min: minHealth, max: 2.5, noNaN: true }),
    debtAsset: fc.constantFrom(...debtAssets),
    secondDebtShare: fc.oneof(fc.constant(0), fc.double({ min: 0.3, max: 0.6, noNaN: true })),
    emode: fc.boolean(),
  });

const bookSpec = (minHealth: number, debtAssets: readonly string[]) =>
  fc.record({
    logic: fc.constantFrom("v3.0" as const, "v3.3" as const),
    wethReserve: fc.double({ min: 50, max: 100_000, noNaN: true }),
    feeBps: fc.integer({ min: 0, max: 100 }),
    beta: fc.double({ min: 0, max: 2, noNaN: true }),
    positions: fc.array(positionSpec(minHealth, debtAssets), { minLength: 1, maxLength: 40 }),
  });

type BookSpec = ReturnType<typeof bookSpec> extends fc.Arbitrary<infer T> ? T : never;

/** A snapshot from a spec; every position's health (before any shock) is the spec's. */
function snapshotOf(spec: BookSpec): SnapshotInput {
  const positions: SnapshotInput["positions"] = spec.positions.map((p: PositionSpec, i) => {
    const account = `0x${i.toString(16).padStart(4, "0")}`;
    if (p.kind === 1) {
      const lltv = 0.86;
      const c = p.collateralUsd / PRICES.WETH!;
      return {
        market: MORPHO_MARKET,
        account,
        collateral: { WETH: c },
        debt: { USDC: (p.collateralUsd * lltv) / p.healthFactor },
      };
    }
    const collateral: Record<string, number> = {};
    let weighted = 0;
    const emode = p.kind === 0 && p.emode && p.collateral.every((a) => a !== "WBTC");
    for (const a of p.collateral) {
      const usd = p.collateralUsd / p.collateral.length;
      collateral[a] = usd / PRICES[a]!;
      const factor = p.kind === 2 ? (a === "WBTC" ? 0.8 : 0.83) : emode ? 0.93 : LT[a]!;
      weighted += usd * factor;
    }
    const debtAsset = p.kind === 2 ? "USDC" : p.debtAsset;
    const debtUsd = weighted / p.healthFactor;
    const debt: Record<string, number> = {};
    const second = debtAsset === "USDC" ? "WBTC" : "USDC";
    const split = p.kind === 0 && p.secondDebtShare > 0 && second !== debtAsset;
    debt[debtAsset] = (debtUsd * (split ? 1 - p.secondDebtShare : 1)) / PRICES[debtAsset]!;
    if (split) debt[second] = (debtUsd * p.secondDebtShare) / PRICES[second]!;
    return p.kind === 0
      ? { market: AAVE_MARKET, account, collateral, debt, emode: emode ? 1 : 0 }
      : { market: COMPOUND_MARKET, account, collateral, debt };
  });
  return snapshotFixture({
    assets: [
      poolAssetFixture("WETH", 3000, spec.wethReserve, spec.feeBps),
      assetFixture("wstETH", 3500, {
        follows: { asset: "WETH", beta: spec.beta },
        liquidity: { kind: "depth", depthUsd: 1_000_000, depthPct: 0.02 },
      }),
      assetFixture("WBTC", 60_000, {
        liquidity: { kind: "depth", depthUsd: 5_000_000, depthPct: 0.02, feeBps: 5 },
      }),
      assetFixture("USDC", 1),
    ],
    markets: [
      aaveMarketFixture({
        liquidationLogic: spec.logic,
        reserves: {
          WETH: { liquidationThreshold: 0.8, liquidationBonus: 0.05, protocolFee: 0.1 },
          wstETH: { liquidationThreshold: 0.79, liquidationBonus: 0.06, protocolFee: 0.2 },
          WBTC: { liquidationThreshold: 0.75, liquidationBonus: 0.065, protocolFee: 0.1 },
          USDC: { liquidationThreshold: 0.78, liquidationBonus: 0.045, protocolFee: 0.1 },
        },
        emodes: { "1": { liquidationThreshold: 0.93, liquidationBonus: 0.01, assets: ["WETH", "wstETH"] } },
      }),
      morphoMarketFixture(),
      compoundMarketFixture({
        collaterals: {
          WETH: { liquidateCollateralFactor: 0.83, liquidationFactor: 0.95 },
          wstETH: { liquidateCollateralFactor: 0.83, liquidationFactor: 0.95 },
          WBTC: { liquidateCollateralFactor: 0.8, liquidationFactor: 0.9 },
        },
      }),
    ],
    positions,
  });
}

const shockArb = fc.double({ min: -0.9, max: 0, noNaN: true });
const anyBook = bookSpec(0.8, ["USDC", "WETH", "WBTC"]);

describe("propagator properties (fast-check, SEED reproduces)", () => {
  it("totals equal the sum of the liquidations, per protocol too", () => {
    fc.assert(
      fc.property(anyBook, shockArb, (spec, s) => {
        const report = simulate(compileBook(parseSnapshot(snapshotOf(spec))), { WETH: s });
        let repaid = 0;
        let bad = 0;
        for (const l of report.liquidations) {
          repaid += l.repaidUsd;
          bad += l.badDebtUsd;
        }
        expect(report.totals.liquidations).toBe(report.liquidations.length);
        expect(report.totals.repaidUsd).toBe(repaid);
        expect(report.totals.badDebtUsd).toBe(bad);
        const byProtocol = Object.values(report.totals.byProtocol);
        expect(byProtocol.reduce((n, t) => n + t.liquidations, 0)).toBe(report.liquidations.length);
        const roundSum = report.rounds.reduce((n, r) => n + r.repaidUsd, 0);
        expect(Math.abs(roundSum - repaid)).toBeLessThanOrEqual(1e-9 * Math.max(1, repaid));
        expect(report.rounds.reduce((n, r) => n + r.liquidations, 0)).toBe(report.liquidations.length);
      }),
      params,
    );
  });

  it("no collateral goes negative: a position never gives up more than it held", () => {
    fc.assert(
      fc.property(anyBook, shockArb, (spec, s) => {
        const input = snapshotOf(spec);
        const report = simulate(compileBook(parseSnapshot(input)), { WETH: s });
        const seized = new Map<string, number>();
        for (const l of report.liquidations) {
          for (const [asset, amount] of Object.entries(l.seized)) {
            expect(amount).toBeGreaterThanOrEqual(0);
            const key = `${l.account}/${asset}`;
            seized.set(key, (seized.get(key) ?? 0) + amount);
          }
          for (const amount of Object.values(l.repaid)) expect(amount).toBeGreaterThanOrEqual(0);
        }
        for (const p of input.positions) {
          for (const [asset, held] of Object.entries(p.collateral)) {
            expect(seized.get(`${p.account}/${asset}`) ?? 0).toBeLessThanOrEqual(held * (1 + 1e-12));
          }
        }
      }),
      params,
    );
  });

  it("a larger drop of a collateral-only asset liquidates a superset in round 1", () => {
    // WETH is never borrowed here: a deeper WETH drop can only lower health factors.
    const collateralOnly = bookSpec(0.8, ["USDC", "WBTC"]);
    fc.assert(
      fc.property(collateralOnly, shockArb, shockArb, (spec, a, b) => {
        const book = compileBook(parseSnapshot(snapshotOf(spec)));
        const [mild, deep] = a > b ? [a, b] : [b, a];
        const round1 = (s: number) =>
          new Set(
            simulate(book, { WETH: s }, { maxRounds: 1 }).liquidations.map((l) => `${l.market}/${l.account}`),
          );
        const mildSet = round1(mild);
        const deepSet = round1(deep);
        for (const key of mildSet) expect(deepSet.has(key)).toBe(true);
      }),
      params,
    );
  });

  it("a zero shock on a healthy book does nothing", () => {
    fc.assert(
      fc.property(bookSpec(1.001, ["USDC", "WETH", "WBTC"]), (spec) => {
        const report = simulate(compileBook(parseSnapshot(snapshotOf(spec))), { WETH: 0 });
        expect(report.rounds).toEqual([]);
        expect(report.liquidations).toEqual([]);
        expect(report.converged).toBe(true);
        expect(report.finalPrices).toEqual(report.initialPrices);
        expect(report.amplification).toEqual({});
      }),
      params,
    );
  });

  it("is deterministic, and the indexed run equals judging every position every round", () => {
    fc.assert(
      fc.property(anyBook, shockArb, (spec, s) => {
        const book = compileBook(parseSnapshot(snapshotOf(spec)));
        expect(JSON.stringify(simulate(book, { WETH: s }))).toBe(JSON.stringify(simulate(book, { WETH: s })));
        const factors = shockFactors(book, { WETH: s });
        const indexed = runCascade(book, factors, { maxRounds: 50, recordLiquidations: true });
        const naive = runCascade(book, factors, {
          maxRounds: 50,
          recordLiquidations: true,
          judgeEveryPosition: true,
        });
        expect(indexed.liquidations).toEqual(naive.liquidations);
        expect(indexed.rounds).toEqual(naive.rounds);
        expect(indexed.converged).toBe(naive.converged);
      }),
      params,
    );
  });
});

/** Shocks on any subset of the assets, followers and stablecoins included, up or down. */
const multiShock = fc.record(
  {
    WETH: fc.double({ min: -0.95, max: 0.3, noNaN: true }),
    wstETH: fc.double({ min: -0.5, max: 0.3, noNaN: true }),
    WBTC: fc.double({ min: -0.95, max: 0.3, noNaN: true }),
    USDC: fc.double({ min: -0.1, max: 0.1, noNaN: true }),
  },
  { requiredKeys: [] },
);

describe("workspace reuse", () => {
  it("a run on a reused workspace equals a fresh run, whatever ran before on it", () => {
    fc.assert(
      fc.property(anyBook, fc.array(shockArb, { minLength: 2, maxLength: 4 }), (spec, shocks) => {
        const book = compileBook(parseSnapshot(snapshotOf(spec)));
        const workspace = createCascadeWorkspace(book);
        for (const s of shocks) {
          const factors = shockFactors(book, { WETH: s });
          const reused = runCascade(book, factors, { maxRounds: 50, recordLiquidations: true, workspace });
          const fresh = runCascade(book, factors, {
            maxRounds: 50,
            recordLiquidations: true,
            workspace: createCascadeWorkspace(book),
          });
          expect(reused.liquidations).toEqual(fresh.liquidations);
          expect(reused.rounds).toEqual(fresh.rounds);
        }
      }),
      params,
    );
  });
});

describe("engine against the plain reference implementation", () => {
  it("agrees to 1e-9 relative on every number of the report", () => {
    fc.assert(
      fc.property(anyBook, multiShock, fc.integer({ min: 1, max: 50 }), (spec, shock, maxRounds) => {
        const snapshot = parseSnapshot(snapshotOf(spec));
        const engine = simulate(compileBook(snapshot), shock, { maxRounds });
        const reference = referenceSimulate(snapshot, shock, maxRounds);
        expect(differencesFromReference(engine, reference)).toEqual([]);
      }),
      { ...params, numRuns: 150 },
    );
  });
});
