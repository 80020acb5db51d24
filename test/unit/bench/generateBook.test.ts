import { describe, expect, it } from "vitest";
import { BOOK_PRICES_USD, type BookAsset, MORPHO_MARKETS } from "../../../bench/bookMarkets.js";
import { generateBook } from "../../../bench/generateBook.js";
import { snapshotSchema } from "../../../src/core/snapshot/schema.js";

const seed = Number(process.env.SEED ?? 7);

describe("generateBook", () => {
  const book = generateBook({ positions: 5000, seed });

  it("is a schema-valid cascade-snapshot/1 with the requested number of positions", () => {
    const parsed = snapshotSchema.safeParse(JSON.parse(JSON.stringify(book)));
    expect(parsed.success).toBe(true);
    expect(book.positions).toHaveLength(5000);
  });

  it("is reproducible from its seed and differs across seeds", () => {
    expect(JSON.stringify(generateBook({ positions: 200, seed }))).toBe(
      JSON.stringify(generateBook({ positions: 200, seed })),
    );
    expect(JSON.stringify(generateBook({ positions: 200, seed: seed + 1 }))).not.toBe(
      JSON.stringify(generateBook({ positions: 200, seed })),
    );
  });

  it("splits positions about 50/35/15 across Aave, Morpho and Compound", () => {
    const count = { aave: 0, morpho: 0, compound: 0 };
    for (const p of book.positions) {
      if (p.market.startsWith("aave-v3:")) count.aave += 1;
      else if (p.market.startsWith("morpho-blue:")) count.morpho += 1;
      else count.compound += 1;
    }
    expect(count.aave / 5000).toBeCloseTo(0.5, 1);
    expect(count.morpho / 5000).toBeCloseTo(0.35, 1);
    expect(count.compound / 5000).toBeCloseTo(0.15, 1);
  });

  it("gives Morpho positions health factors above 1, most of them below 2.5", () => {
    const lltvById = new Map(MORPHO_MARKETS.map((m) => [m.id, m]));
    const healthFactors: number[] = [];
    for (const p of book.positions) {
      const market = lltvById.get(p.market);
      if (market === undefined) continue;
      const collateralUsd = (p.collateral[market.collateral] ?? 0) * BOOK_PRICES_USD[market.collateral];
      const debtUsd = (p.debt[market.loan] ?? 0) * BOOK_PRICES_USD[market.loan as BookAsset];
      healthFactors.push((collateralUsd * market.lltv) / debtUsd);
    }
    expect(healthFactors.length).toBeGreaterThan(1000);
    // Amount rounding moves a health factor by far less than 0.001.
    expect(Math.min(...healthFactors)).toBeGreaterThan(1.004);
    const below = healthFactors.filter((hf) => hf < 2.5).length / healthFactors.length;
    expect(below).toBeGreaterThan(0.8);
  });

  it("has account ids unique within the book", () => {
    const accounts = new Set(book.positions.map((p) => p.account));
    expect(accounts.size).toBe(book.positions.length);
  });
});
