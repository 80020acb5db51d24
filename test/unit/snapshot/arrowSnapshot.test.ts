/**
 * The Arrow snapshot: JSON -> Arrow -> JSON gives the same text for v1 and v2 books; the
 * validated read equals `parseSnapshot` of the JSON; a bad file is refused with the JSON's own
 * error; and a generic Arrow reader (apache-arrow's table API, which knows nothing of this
 * project) sees plain columns: text markets and accounts, float64 amounts.
 */
import { tableFromIPC } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { generateBook } from "../../../bench/generateBook.js";
import { generateBookV2 } from "../../../bench/generateBookV2.js";
import { isArrowFile } from "../../../src/adapters/snapshot/arrowSnapshotLayout.js";
import {
  decodeArrowSnapshot,
  readArrowSnapshot,
} from "../../../src/adapters/snapshot/decodeArrowSnapshot.js";
import {
  encodeArrowSnapshot,
  type SnapshotDocument,
} from "../../../src/adapters/snapshot/encodeArrowSnapshot.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import type { PositionData } from "../../../src/core/snapshot/schema.js";
import {
  AAVE_MARKET,
  MORPHO_MARKET,
  positionFixture,
  snapshotFixture,
} from "../../helpers/snapshotFixtures.js";

const SEED = Number(process.env.SEED ?? 7);
const asJson = (value: unknown): SnapshotDocument => JSON.parse(JSON.stringify(value)) as SnapshotDocument;

describe("Arrow snapshot", () => {
  it.each([
    ["v1", () => generateBook({ positions: 3000, seed: SEED })],
    ["v2", () => generateBookV2({ positions: 3000, seed: SEED })],
  ])("reads a %s book back to the same JSON, and validates it as parseSnapshot does", (_, make) => {
    const document = asJson(make());
    const bytes = encodeArrowSnapshot(document);
    expect(isArrowFile(bytes)).toBe(true);
    expect(JSON.stringify(decodeArrowSnapshot(bytes))).toBe(JSON.stringify(document));
    expect(readArrowSnapshot(bytes)).toEqual(parseSnapshot(document));
    // Smaller than the JSON text.
    expect(bytes.length).toBeLessThan(JSON.stringify(document).length / 2);
  });

  it("keeps accounts that are not lowercase addresses as text, eModes and empty sides", () => {
    const document = asJson(
      snapshotFixture({
        positions: [
          positionFixture(AAVE_MARKET, "0xAbC", { WETH: 1 }, { USDC: 100 }, { emode: 0 }),
          positionFixture(AAVE_MARKET, "alice", {}, { USDC: 0 }),
          positionFixture(MORPHO_MARKET, "0xAbC", { WETH: 2.5 }, {}),
        ],
      }),
    );
    const bytes = encodeArrowSnapshot(document);
    expect(JSON.stringify(decodeArrowSnapshot(bytes))).toBe(JSON.stringify(document));
    expect(readArrowSnapshot(bytes)).toEqual(parseSnapshot(document));
  });

  it.each([
    ["a negative amount", (d: SnapshotDocument) => ({ ...d.positions[1]!, debt: { USDC: -1 } })],
    [
      "an asset the market does not take",
      (d: SnapshotDocument) => ({ ...d.positions[1]!, collateral: { WBTC: 1 } }),
    ],
    ["a duplicate account", (d: SnapshotDocument) => ({ ...d.positions[0]! })],
    ["an unknown eMode", (d: SnapshotDocument) => ({ ...d.positions[1]!, emode: 9 })],
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
    expect(() => readArrowSnapshot(encodeArrowSnapshot(bad))).toThrow(expected);
  });

  it("is plain columns to a generic Arrow reader", () => {
    const document = asJson(generateBookV2({ positions: 500, seed: SEED }));
    const table = tableFromIPC(encodeArrowSnapshot(document));
    expect(table.numRows).toBe(500);
    expect(table.schema.fields.map((f) => `${f.name}: ${f.type}`)).toEqual([
      "market: Dictionary<Int8, Utf8>",
      "account: FixedSizeBinary[20]",
      "collateral: List<Struct<{asset:Dictionary<Int8, Utf8>, amount:Float64}>>",
      "debt: List<Struct<{asset:Dictionary<Int8, Utf8>, amount:Float64}>>",
      "emode: Int8",
      "dynamic_config: Utf8",
      "document_index: Int32",
    ]);
    // Row by row through the generic API: the same markets, accounts and debt as the JSON, rows
    // in book order (market id, then account), each with its index in the document.
    const rows = table.toArray().map((row) => row.toJSON());
    const key = (row: { market: unknown; account: unknown }) =>
      `${row.market}\u0000${Buffer.from(row.account as Uint8Array).toString("hex")}`;
    for (let i = 1; i < rows.length; i++) expect(key(rows[i - 1]!) < key(rows[i]!)).toBe(true);
    expect(new Set(rows.map((row) => row.document_index)).size).toBe(500);
    rows.forEach((row) => {
      const position = document.positions[row.document_index as number]!;
      expect(row.market).toBe(position.market);
      expect(`0x${Buffer.from(row.account as Uint8Array).toString("hex")}`).toBe(position.account);
      const debt = Object.fromEntries(
        [...(row.debt as Iterable<{ toJSON(): { asset: string; amount: number } }>)].map((e) => {
          const { asset, amount } = e.toJSON();
          return [asset, amount];
        }),
      );
      expect(debt).toEqual(position.debt);
    });
    const header = JSON.parse(table.schema.metadata.get("cascade-snapshot.header")!);
    const markets = document.markets as Array<{ id: string }>;
    expect(header.markets.map((m: { id: string }) => m.id)).toEqual(markets.map((m) => m.id));
  });

  it("writes a document already in book order without a document_index column, as the same JSON", () => {
    const book = asJson(generateBookV2({ positions: 300, seed: SEED }));
    const byKey = (a: PositionData, b: PositionData) =>
      a.market < b.market ? -1 : a.market > b.market ? 1 : a.account < b.account ? -1 : 1;
    const document = { ...book, positions: [...book.positions].sort(byKey) };
    const bytes = encodeArrowSnapshot(document);
    expect(tableFromIPC(bytes).schema.fields.map((f) => f.name)).not.toContain("document_index");
    expect(JSON.stringify(decodeArrowSnapshot(bytes))).toBe(JSON.stringify(document));
  });

  it.each([
    [[1, 2], "Int8"],
    [[1, 300], "Int16"],
    [[1, 70_000], "Int32"],
  ])(
    "stores eModes %j in the smallest integer column that holds them (%s), read back as they were",
    (emodes, type) => {
      const book = asJson(generateBookV2({ positions: 50, seed: SEED }));
      const document = {
        ...book,
        positions: book.positions.map((p, i) => (i < emodes.length ? { ...p, emode: emodes[i] } : p)),
      };
      const bytes = encodeArrowSnapshot(document);
      const field = tableFromIPC(bytes).schema.fields.find((f) => f.name === "emode")!;
      expect(String(field.type)).toBe(type);
      expect(JSON.stringify(decodeArrowSnapshot(bytes))).toBe(JSON.stringify(document));
    },
  );
});
