/**
 * `ascendingOrder` gives the order of a stable sort by `a - b`: random values with many repeats,
 * `-0` among zeros, infinities, and an empty list. SEED reproduces a failure.
 */
import { describe, expect, it } from "vitest";
import { ascendingOrder } from "../../../src/app/daemon/ascendingOrder.js";
import { createPrng } from "../../../src/core/random/createPrng.js";

const SEED = Number(process.env.SEED ?? 7);

/** The indices of `values` in the order the built-in stable sort by `a - b` puts them. */
const sortedIndices = (values: readonly number[]): number[] =>
  values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);

describe("ascendingOrder", () => {
  it.each([SEED, SEED + 1, SEED + 2])("is the stable sort by value (seed %i)", (seed) => {
    const prng = createPrng(seed);
    // Few distinct values, so most of them repeat; some zeros are -0.
    const values = Array.from({ length: 5000 }, () => {
      const v = Math.floor(prng.next() * 200) / 64 - 1;
      return v === 0 && prng.next() < 0.5 ? -0 : v;
    });
    const order = ascendingOrder(Float64Array.from(values));
    expect(values.some((v) => Object.is(v, -0))).toBe(true);
    expect([...order]).toEqual(sortedIndices(values));
  });

  it("keeps -0 and 0 in index order, infinities at the ends", () => {
    const values = [0, -0, Number.POSITIVE_INFINITY, 1, -0, Number.NEGATIVE_INFINITY, 0];
    expect([...ascendingOrder(Float64Array.from(values))]).toEqual([5, 0, 1, 4, 6, 3, 2]);
    expect([...ascendingOrder(Float64Array.from(values))]).toEqual(sortedIndices(values));
  });

  it("orders nothing", () => {
    expect(ascendingOrder(new Float64Array(0)).length).toBe(0);
  });
});
