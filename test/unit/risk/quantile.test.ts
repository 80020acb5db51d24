import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  lossStatistics,
  nearestRank,
  quantileSorted,
  tailMeanSorted,
} from "../../../src/core/risk/quantile.js";

const seed = Number(process.env.SEED ?? 13);

describe("nearest-rank percentiles", () => {
  it("takes the value of rank ceil(p n)", () => {
    const sorted = Float64Array.from({ length: 20 }, (_, i) => i + 1); // 1 … 20
    expect(nearestRank(0.95, 20)).toBe(19);
    expect(quantileSorted(sorted, 0.95)).toBe(19);
    expect(quantileSorted(sorted, 0.99)).toBe(20);
    expect(quantileSorted(sorted, 0.5)).toBe(10);
    expect(quantileSorted(sorted, 0.01)).toBe(1);
    // 100 values: p99 is rank 99 exactly, although 0.99 * 100 is not 99 in every float order.
    const hundred = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantileSorted(hundred, 0.99)).toBe(99);
    expect(tailMeanSorted(hundred, 0.99)).toBe(100);
    expect(tailMeanSorted(hundred, 0.95)).toBe((96 + 97 + 98 + 99 + 100) / 5);
  });

  it("summarises mean, p95, p99 and the shortfall beyond p99 of an unsorted sample", () => {
    const values = [5, 0, 0, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 40];
    expect(lossStatistics(values)).toEqual({ mean: 145 / 20, p95: 40, p99: 100, es99: 100 });
    expect(values[3]).toBe(100); // the input is not sorted in place
  });

  it("is monotone in p, with p99 >= p95 and es99 >= p99 (seeded property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, a, b) => {
          const sorted = Float64Array.from(values).sort();
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          expect(quantileSorted(sorted, lo)).toBeLessThanOrEqual(quantileSorted(sorted, hi));
          const s = lossStatistics(values);
          expect(s.p99).toBeGreaterThanOrEqual(s.p95);
          expect(s.es99).toBeGreaterThanOrEqual(s.p99);
          expect(values).toContain(s.p99);
        },
      ),
      { seed, numRuns: 300 },
    );
  });
});
