import { describe, expect, it } from "vitest";
import { sameDocumentText } from "../../../src/app/sync/sameDocumentText.js";

/** The rule it stands for: equal JSON text. */
const sameText = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const position = (over: Record<string, unknown> = {}) => ({
  market: "aave-v3:1:0xpool",
  account: "0xA1",
  collateral: { WETH: 1.5, wstETH: 0.25 },
  debt: { USDC: 1200.000001 },
  emode: 0,
  ...over,
});

describe("sameDocumentText", () => {
  const cases: Array<[string, unknown, unknown]> = [
    ["the same position, other objects", position(), position()],
    ["an amount one unit apart", position(), position({ debt: { USDC: 1200.000002 } })],
    ["an asset more", position(), position({ collateral: { WETH: 1.5, wstETH: 0.25, rETH: 1 } })],
    ["the same fields in another order", position(), position({ collateral: { wstETH: 0.25, WETH: 1.5 } })],
    ["another eMode", position(), position({ emode: 1 })],
    ["an undefined field against none", position({ dynamicConfig: undefined }), position()],
    ["a field more", position(), position({ dynamicConfig: { WETH: { key: 1 } } })],
    ["0 and -0", { a: 0 }, { a: -0 }],
    ["NaN and Infinity (both null)", { a: Number.NaN }, { a: Number.POSITIVE_INFINITY }],
    ["NaN and 0", { a: Number.NaN }, { a: 0 }],
    ["a number and its text", { a: 1 }, { a: "1" }],
    ["null and an object", { a: null }, { a: {} }],
    ["arrays, undefined as null", [1, undefined], [1, null]],
    ["arrays of other lengths", [1, 2], [1, 2, 3]],
    ["an array and an object", [1], { 0: 1 }],
    ["true and 1", { a: true }, { a: 1 }],
  ];

  it.each(cases)("%s: as their JSON texts compare", (_, a, b) => {
    expect(sameDocumentText(a, b)).toBe(sameText(a, b));
    expect(sameDocumentText(b, a)).toBe(sameText(b, a));
  });

  it("finds the one field that differs in a long record", () => {
    const many = (last: number) =>
      position({
        collateral: Object.fromEntries([...Array(40).keys()].map((i) => [`A${i}`, i === 39 ? last : i])),
      });
    expect(sameDocumentText(many(39), many(39))).toBe(true);
    expect(sameDocumentText(many(39), many(39.5))).toBe(false);
  });
});
