/**
 * The book compiled straight from an Arrow snapshot's columns: array for array the book of
 * `compileBook(parseSnapshot(json))`, with byte-identical reports, for v1 and v2 books, in any
 * position order; its snapshot equals the JSON's once positions are read; a bad column is
 * refused with the error the JSON gets.
 */
import { describe, expect, it } from "vitest";
import { generateBook } from "../../../bench/generateBook.js";
import { generateBookV2 } from "../../../bench/generateBookV2.js";
import { readArrowBook, readArrowSnapshot } from "../../../src/adapters/snapshot/decodeArrowSnapshot.js";
import {
  encodeArrowSnapshot,
  type SnapshotDocument,
} from "../../../src/adapters/snapshot/encodeArrowSnapshot.js";
import type { Book } from "../../../src/core/book/book.js";
import { compileBook } from "../../../src/core/book/compileBook.js";
import { findCriticalShock } from "../../../src/core/curve/findCriticalShock.js";
import { liquidationCurve } from "../../../src/core/curve/liquidationCurve.js";
import { simulate } from "../../../src/core/propagator/simulate.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import {
  AAVE_MARKET,
  MORPHO_MARKET,
  positionFixture,
  snapshotFixture,
} from "../../helpers/snapshotFixtures.js";

const SEED = Number(process.env.SEED ?? 11);
const asJson = (value: unknown): SnapshotDocument => JSON.parse(JSON.stringify(value)) as SnapshotDocument;

/** Seeded Fisher–Yates shuffle (mulberry32). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Every field of every part of two books: typed arrays bit for bit, the rest deeply equal. */
function expectSameBook(actual: Book, expected: Book): void {
  for (const part of ["assets", "oracles", "markets", "positions", "index"] as const) {
    const a = actual[part] as unknown as Record<string, unknown>;
    const e = expected[part] as unknown as Record<string, unknown>;
    expect(Object.keys(a).sort(), part).toEqual(Object.keys(e).sort());
    for (const key of Object.keys(e)) {
      const x = a[key];
      const y = e[key];
      if (ArrayBuffer.isView(y)) {
        expect(x?.constructor, `${part}.${key}`).toBe(y.constructor);
        const bytesOf = (v: ArrayBufferView) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
        expect(bytesOf(x as ArrayBufferView).equals(bytesOf(y)), `${part}.${key}`).toBe(true);
      } else expect(x, `${part}.${key}`).toEqual(y);
    }
  }
}

describe("Arrow book", () => {
  it.each([
    ["v1", () => generateBook({ positions: 3000, seed: SEED })],
    ["v2", () => generateBookV2({ positions: 3000, seed: SEED })],
    [
      "shuffled v2",
      () => {
        const book = asJson(generateBookV2({ positions: 3000, seed: SEED + 1 }));
        return { ...book, positions: shuffled(book.positions, SEED) };
      },
    ],
  ])("compiles a %s book from the columns as compileBook compiles the JSON", (_, make) => {
    const document = asJson(make());
    const fromJson = parseSnapshot(document);
    const expected = compileBook(fromJson);
    const { snapshot, book } = readArrowBook(encodeArrowSnapshot(document));
    expectSameBook(book, expected);
    const asset = fromJson.assets.some((a) => a.id === "WETH") ? "WETH" : fromJson.assets[0]!.id;
    for (const shock of [-0.1, -0.3, -0.6]) {
      expect(JSON.stringify(simulate(book, { [asset]: shock }))).toBe(
        JSON.stringify(simulate(expected, { [asset]: shock })),
      );
    }
    const grid = [0, -0.2, -0.4];
    expect(JSON.stringify(liquidationCurve(book, asset, grid))).toBe(
      JSON.stringify(liquidationCurve(expected, asset, grid)),
    );
    expect(findCriticalShock(book, asset)).toEqual(findCriticalShock(expected, asset));
    // The positions, built only when read, are the JSON's.
    expect(snapshot).toEqual(fromJson);
  });

  it("compiles text accounts, eModes and empty sides as compileBook does", () => {
    const document = asJson(
      snapshotFixture({
        positions: [
          positionFixture(AAVE_MARKET, "0xAbC", { WETH: 1 }, { USDC: 100 }, { emode: 0 }),
          positionFixture(AAVE_MARKET, "alice", {}, { USDC: 0 }),
          positionFixture(MORPHO_MARKET, "0xAbC", { WETH: 2.5 }, {}),
          positionFixture(AAVE_MARKET, "0x0b", { USDC: 5, WETH: 2 }, { WETH: 1 }),
        ],
      }),
    );
    const fromJson = parseSnapshot(document);
    const { snapshot, book } = readArrowBook(encodeArrowSnapshot(document));
    expectSameBook(book, compileBook(fromJson));
    expect(snapshot).toEqual(fromJson);
  });

  it.each([
    ["a negative amount", (d: SnapshotDocument) => ({ ...d.positions[1]!, debt: { USDC: -1 } })],
    [
      "an amount that is not a number",
      (d: SnapshotDocument) => ({ ...d.positions[1]!, debt: { USDC: Number.NaN } }),
    ],
    [
      "an asset the market does not take",
      (d: SnapshotDocument) => ({ ...d.positions[1]!, collateral: { WBTC: 1 } }),
    ],
    ["a duplicate account", (d: SnapshotDocument) => ({ ...d.positions[0]! })],
    ["an unknown eMode", (d: SnapshotDocument) => ({ ...d.positions[1]!, emode: 9 })],
    ["an unknown market", (d: SnapshotDocument) => ({ ...d.positions[1]!, market: "aave-v3:1:0xnone" })],
  ])("refuses %s with the error the JSON gets", (_, spoil) => {
    const document = asJson(
      snapshotFixture({
        positions: [
          positionFixture(AAVE_MARKET, "0x01", { WETH: 1 }, { USDC: 100 }),
          positionFixture(MORPHO_MARKET, "0x02", { WETH: 1 }, { USDC: 100 }),
        ],
      }),
    );
    const bad = { ...document, positions: [document.positions[0]!, spoil(document)] } as SnapshotDocument;
    let expected = "";
    try {
      parseSnapshot(bad);
    } catch (error) {
      expected = (error as Error).message;
    }
    expect(expected).toMatch(/^positions\[1\]/);
    expect(() => readArrowBook(encodeArrowSnapshot(bad))).toThrow(expected);
  });

  it.each([
    ["in book order", false],
    ["shuffled", true],
  ])(
    "refuses an address repeated in one market of a large book (%s) with the error the JSON gets",
    (_, shuffle) => {
      const book = asJson(generateBookV2({ positions: 2000, seed: SEED + 2 }));
      const byKey = (a: { market: string; account: string }, b: { market: string; account: string }) =>
        a.market < b.market
          ? -1
          : a.market > b.market
            ? 1
            : a.account < b.account
              ? -1
              : a.account > b.account
                ? 1
                : 0;
      const sorted = [...book.positions].sort(byKey);
      // A neighbour in book order takes its predecessor's address: the repeat sits mid-book.
      const k = sorted.findIndex((p, i) => i > 1000 && sorted[i - 1]!.market === p.market);
      const spoiled = sorted.map((p, i) => (i === k ? { ...p, account: sorted[k - 1]!.account } : p));
      const positions = shuffle ? shuffled(spoiled, SEED) : spoiled;
      const bad = { ...book, positions } as SnapshotDocument;
      let expected = "";
      try {
        parseSnapshot(bad);
      } catch (error) {
        expected = (error as Error).message;
      }
      expect(expected).toMatch(/^positions\[\d+\]/);
      const bytes = encodeArrowSnapshot(bad);
      expect(() => readArrowBook(bytes)).toThrow(expected);
      expect(() => readArrowSnapshot(bytes)).toThrow(expected);
    },
  );
});
