/**
 * Invariants of the engine on model v2 books (fast-check over generated v2 books and shocks;
 * SEED reproduces): no liquidation takes more than a position has, totals are the sums of their
 * parts, a zero shock on a healthy book does nothing, and a v1 document read as v2 gives the same
 * numbers.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateBook } from "../../../bench/generateBook.js";
import { generateBookV2 } from "../../../bench/generateBookV2.js";
import { positionsAtRisk } from "../../../src/app/daemon/summarizeBook.js";
import { compileBook } from "../../../src/core/book/compileBook.js";
import { simulate } from "../../../src/core/propagator/simulate.js";
import type { CascadeReport } from "../../../src/core/report/cascadeReport.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";

const SEED = Number(process.env.SEED ?? 20261201);
const params = { seed: SEED, numRuns: 12 };

const shockArb = fc.record(
  {
    WETH: fc.double({ min: -0.6, max: 0.3, noNaN: true }),
    WBTC: fc.double({ min: -0.6, max: 0.3, noNaN: true }),
    wstETH: fc.double({ min: -0.2, max: 0.1, noNaN: true }),
  },
  { requiredKeys: [] },
);

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

function checkTotals(report: CascadeReport): void {
  const sum = (values: number[]) => values.reduce((s, v) => s + v, 0);
  expect(sum(report.rounds.map((r) => r.liquidations))).toBe(report.liquidations.length);
  expect(report.totals.liquidations).toBe(report.liquidations.length);
  expect(close(report.totals.repaidUsd, sum(report.liquidations.map((l) => l.repaidUsd)))).toBe(true);
  expect(close(report.totals.badDebtUsd, sum(report.rounds.map((r) => r.badDebtUsd)))).toBe(true);
  expect(close(sum(report.rounds.map((r) => r.repaidUsd)), report.totals.repaidUsd)).toBe(true);
  const byProtocol = Object.values(report.totals.byProtocol);
  expect(sum(byProtocol.map((t) => t.liquidations))).toBe(report.totals.liquidations);
  expect(close(sum(byProtocol.map((t) => t.badDebtUsd)), report.totals.badDebtUsd)).toBe(true);
  const accounts = new Set(report.liquidations.map((l) => `${l.market} ${l.account}`));
  expect(report.totals.positionsLiquidated).toBe(accounts.size);
  expect(report.totals.stranded).toBeGreaterThanOrEqual(0);
  for (const r of report.rounds) expect(r.unprofitableDebtUsd >= 0 && Number.isFinite(r.soldUsd)).toBe(true);
}

describe("engine invariants on model v2 books", () => {
  it("never takes more than a position has, and totals are the sums of their parts", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), shockArb, (seed, shock) => {
        const doc = generateBookV2({ positions: 250, seed });
        const report = simulate(compileBook(parseSnapshot(doc)), shock);
        checkTotals(report);
        // Σ seized and Σ repaid per position never exceed what it held (no negative amounts).
        const held = new Map(doc.positions.map((p) => [`${p.market} ${p.account}`, p]));
        const taken = new Map<string, Record<string, number>>();
        for (const l of report.liquidations) {
          const key = `${l.market} ${l.account}`;
          const sums = taken.get(key) ?? {};
          for (const [a, x] of Object.entries(l.seized)) sums[`c:${a}`] = (sums[`c:${a}`] ?? 0) + x;
          for (const [a, x] of Object.entries(l.repaid)) sums[`d:${a}`] = (sums[`d:${a}`] ?? 0) + x;
          taken.set(key, sums);
          expect(l.seizedUsd >= 0 && l.repaidUsd >= 0 && l.badDebtUsd >= 0).toBe(true);
          if (l.profitUsd !== undefined) expect(l.profitUsd).toBeGreaterThan(0);
        }
        for (const [key, sums] of taken) {
          const position = held.get(key)!;
          for (const [side, amount] of Object.entries(sums)) {
            const [kind, asset] = side.split(":") as [string, string];
            const had = (kind === "c" ? position.collateral : position.debt)[asset] ?? 0;
            expect(amount).toBeLessThanOrEqual(had * (1 + 1e-9));
          }
        }
      }),
      params,
    );
  });

  it("a zero shock on a healthy book liquidates nothing, strands nothing and moves no price", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (seed) => {
        const doc = generateBookV2({ positions: 250, seed });
        const unhealthy = new Set(
          positionsAtRisk(parseSnapshot(doc), 1 + 1e-9).map((p) => `${p.market} ${p.account}`),
        );
        const healthy = {
          ...doc,
          positions: doc.positions.filter((p) => !unhealthy.has(`${p.market} ${p.account}`)),
        };
        const report = simulate(compileBook(parseSnapshot(healthy)), {});
        expect(report.rounds).toEqual([]);
        expect(report.totals.stranded).toBe(0);
        expect(report.finalPrices).toEqual(report.initialPrices);
      }),
      params,
    );
  });

  it("a cascade-snapshot/1 document gives the same report when read as version 2", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), shockArb, (seed, shock) => {
        const v1 = generateBook({ positions: 250, seed });
        const asV2 = { ...v1, schema: "cascade-snapshot/2" };
        const a = simulate(compileBook(parseSnapshot(v1)), shock);
        const b = simulate(compileBook(parseSnapshot(asV2)), shock);
        expect(b).toEqual(a);
        // No gas and oracles at market prices: nothing is unprofitable in version 1.
        expect(a.rounds.every((r) => r.unprofitable === 0)).toBe(true);
        expect(a.totals.stranded).toBe(0);
      }),
      params,
    );
  });
});
