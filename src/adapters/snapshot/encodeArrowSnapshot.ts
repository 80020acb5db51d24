/**
 * Writes a snapshot document as an Apache Arrow IPC file (layout in `arrowSnapshotLayout.ts`):
 * the positions as columns in book order, every other field as JSON in the schema metadata.
 * Amounts are the document's float64 numbers, and rows out of the document's order carry their
 * index in it, so the file reads back to the same JSON.
 */
import {
  Dictionary,
  Field,
  FixedSizeBinary,
  Float64,
  Int8,
  Int16,
  Int32,
  List,
  makeData,
  makeVector,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableToIPC,
  Utf8,
} from "apache-arrow";
import type { PositionData } from "../../core/snapshot/schema.js";
import {
  ACCOUNT,
  ACCOUNT_ENCODING_KEY,
  ADDRESS_ENCODING,
  AMOUNT,
  ASSET,
  COLLATERAL,
  DEBT,
  DOCUMENT_INDEX,
  DYNAMIC_CONFIG,
  EMODE,
  HEADER_KEY,
  LAYOUT_KEY,
  LAYOUT_VERSION,
  MARKET,
} from "./arrowSnapshotLayout.js";

/** A snapshot document: its positions, and any other fields (written as they are). */
export interface SnapshotDocument {
  readonly positions: readonly PositionData[];
  readonly [field: string]: unknown;
}

const ADDRESS = /^0x[0-9a-f]{40}$/;
const encoder = new TextEncoder();

/** The smallest signed index type that holds `size` dictionary entries. */
function indexType(size: number): Int8 | Int16 | Int32 {
  return size <= 127 ? new Int8() : size <= 32_767 ? new Int16() : new Int32();
}

function indexArray(type: Int8 | Int16 | Int32, values: readonly number[] | Int32Array) {
  return type instanceof Int8
    ? Int8Array.from(values)
    : type instanceof Int16
      ? Int16Array.from(values)
      : Int32Array.from(values);
}

function utf8Data(values: readonly string[], nulls?: readonly boolean[]) {
  const bytes = values.map((v) => encoder.encode(v));
  const offsets = new Int32Array(values.length + 1);
  for (let i = 0; i < bytes.length; i++) offsets[i + 1] = offsets[i]! + bytes[i]!.length;
  const data = new Uint8Array(offsets[values.length]!);
  for (let i = 0; i < bytes.length; i++) data.set(bytes[i]!, offsets[i]!);
  if (nulls === undefined) return makeData({ type: new Utf8(), valueOffsets: offsets, data });
  const bitmap = new Uint8Array((values.length + 7) >> 3);
  let nullCount = 0;
  for (let i = 0; i < values.length; i++) {
    if (nulls[i]) nullCount++;
    else bitmap[i >> 3]! |= 1 << (i & 7);
  }
  return makeData({ type: new Utf8(), valueOffsets: offsets, data, nullBitmap: bitmap, nullCount });
}

/** Interns strings into a dictionary, in order of first use. */
function createDictionary() {
  const values: string[] = [];
  const index = new Map<string, number>();
  return {
    values,
    indexOf(value: string): number {
      let i = index.get(value);
      if (i === undefined) {
        i = values.length;
        index.set(value, i);
        values.push(value);
      }
      return i;
    },
  };
}

/** One `collateral` or `debt` column: `list<struct<asset: dictionary<utf8>, amount: float64>>`. */
function entriesColumn(positions: readonly PositionData[], side: "collateral" | "debt", id: number) {
  const assets = createDictionary();
  const offsets = new Int32Array(positions.length + 1);
  const assetIndex: number[] = [];
  const amounts: number[] = [];
  for (let i = 0; i < positions.length; i++) {
    const record = positions[i]![side];
    for (const asset in record) {
      assetIndex.push(assets.indexOf(asset));
      amounts.push(record[asset]!);
    }
    offsets[i + 1] = amounts.length;
  }
  const keyType = indexType(assets.values.length);
  const assetType = new Dictionary(new Utf8(), keyType, id);
  const assetData = makeData({
    type: assetType,
    data: indexArray(keyType, assetIndex),
    dictionary: makeVector(utf8Data(assets.values)),
  });
  const amountData = makeData({ type: new Float64(), data: Float64Array.from(amounts) });
  const itemType = new Struct([new Field(ASSET, assetType, false), new Field(AMOUNT, new Float64(), false)]);
  const items = makeData({ type: itemType, length: amounts.length, children: [assetData, amountData] });
  const type = new List(new Field("item", itemType, false));
  return {
    field: new Field(side, type, false),
    data: makeData({ type, valueOffsets: offsets, child: items }),
  };
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Document indices of the positions in book order (market id, then account; ties as listed), or
 * undefined when the document lists them so (or some position has no text market or account).
 */
function bookOrderOf(positions: readonly PositionData[]): Int32Array | undefined {
  let sorted = true;
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i]!;
    if (typeof p?.market !== "string" || typeof p.account !== "string") return undefined;
    if (i === 0 || !sorted) continue;
    const q = positions[i - 1]!;
    sorted = byString(q.market, p.market) * 2 + byString(q.account, p.account) <= 0;
  }
  if (sorted) return undefined;
  const order = Array.from(positions.keys()).sort((a, b) => {
    const p = positions[a]!;
    const q = positions[b]!;
    return byString(p.market, q.market) || byString(p.account, q.account) || a - b;
  });
  return Int32Array.from(order);
}

/** The Arrow IPC file of a snapshot document. */
export function encodeArrowSnapshot(document: SnapshotDocument): Uint8Array {
  const { positions: listed, ...header } = document;
  const documentIndex = bookOrderOf(listed);
  const positions = documentIndex === undefined ? listed : Array.from(documentIndex, (k) => listed[k]!);
  const count = positions.length;
  const fields: Field[] = [];
  const columns: ReturnType<typeof makeData>[] = [];

  const markets = createDictionary();
  const marketIndex = new Int32Array(count);
  for (let i = 0; i < count; i++) marketIndex[i] = markets.indexOf(positions[i]!.market);
  const marketKey = indexType(markets.values.length);
  const marketType = new Dictionary(new Utf8(), marketKey, 0);
  fields.push(new Field(MARKET, marketType, false));
  columns.push(
    makeData({
      type: marketType,
      data: indexArray(marketKey, marketIndex),
      dictionary: makeVector(utf8Data(markets.values)),
    }),
  );

  // Addresses as 20 bytes when every account is one in lowercase hex (a third of the text).
  const addresses = positions.every((p) => ADDRESS.test(p.account));
  if (addresses) {
    const bytes = new Uint8Array(count * 20);
    for (let i = 0; i < count; i++) bytes.set(Buffer.from(positions[i]!.account.slice(2), "hex"), i * 20);
    const type = new FixedSizeBinary(20);
    fields.push(new Field(ACCOUNT, type, false, new Map([[ACCOUNT_ENCODING_KEY, ADDRESS_ENCODING]])));
    columns.push(makeData({ type, data: bytes }));
  } else {
    fields.push(new Field(ACCOUNT, new Utf8(), false));
    columns.push(utf8Data(positions.map((p) => p.account)));
  }

  for (const [side, id] of [
    [COLLATERAL, 1],
    [DEBT, 2],
  ] as const) {
    const column = entriesColumn(positions, side, id);
    fields.push(column.field);
    columns.push(column.data);
  }

  if (positions.some((p) => p.emode !== undefined)) {
    // The smallest signed integer type that holds every eMode (categories are small numbers).
    let fits = 8;
    for (const p of positions) {
      const e = p.emode;
      if (e === undefined) continue;
      if (!Number.isInteger(e) || e < -32_768 || e > 32_767) fits = 32;
      else if (e < -128 || e > 127) fits = Math.max(fits, 16);
    }
    const type = fits === 8 ? new Int8() : fits === 16 ? new Int16() : new Int32();
    const values =
      fits === 8 ? new Int8Array(count) : fits === 16 ? new Int16Array(count) : new Int32Array(count);
    const bitmap = new Uint8Array((count + 7) >> 3);
    let nullCount = 0;
    for (let i = 0; i < count; i++) {
      const emode = positions[i]!.emode;
      if (emode === undefined) nullCount++;
      else {
        values[i] = emode;
        bitmap[i >> 3]! |= 1 << (i & 7);
      }
    }
    fields.push(new Field(EMODE, type, true));
    columns.push(makeData({ type, data: values, nullBitmap: bitmap, nullCount }));
  }
  if (positions.some((p) => p.dynamicConfig !== undefined)) {
    fields.push(new Field(DYNAMIC_CONFIG, new Utf8(), true));
    columns.push(
      utf8Data(
        positions.map((p) => (p.dynamicConfig === undefined ? "" : JSON.stringify(p.dynamicConfig))),
        positions.map((p) => p.dynamicConfig === undefined),
      ),
    );
  }

  if (documentIndex !== undefined) {
    fields.push(new Field(DOCUMENT_INDEX, new Int32(), false));
    columns.push(makeData({ type: new Int32(), data: documentIndex }));
  }

  const schema = new Schema(
    fields,
    new Map([
      [HEADER_KEY, JSON.stringify(header)],
      [LAYOUT_KEY, LAYOUT_VERSION],
    ]),
  );
  const batch = new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length: count, children: columns }),
  );
  return tableToIPC(new Table([batch]), "file");
}
