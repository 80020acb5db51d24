/**
 * Reads an Arrow IPC snapshot (layout in `arrowSnapshotLayout.ts`) back into a snapshot.
 *
 * `decodeArrowSnapshot` gives the JSON document the file holds (not validated).
 * `readArrowSnapshot` validates column by column (each market, asset and eMode once, amounts in
 * one loop over a float64 column) instead of field by field; whenever a column check fails it
 * parses the decoded document with `parseSnapshot`, so a bad file is refused with the very error
 * its JSON would get. `readArrowBook` does the same checks and compiles the book from the columns.
 */
import { type Data, type Table, Type, tableFromIPC } from "apache-arrow";
import type { Book } from "../../core/book/book.js";
import {
  type AccountColumns,
  accountColumnsOf,
  compareAddresses,
  hasRepeatedAccount,
} from "../../core/book/bookAccounts.js";
import { compileBook, compileBookOfPositions } from "../../core/book/compileBook.js";
import {
  type DynamicConfig,
  type EntryColumns,
  type PositionColumns,
  rawPositionsOfColumns,
} from "../../core/book/rawPositions.js";
import { SnapshotError, UserInputError } from "../../core/errors.js";
import {
  checkHeaderCrossFields,
  checkPositionFits,
  type PositionContext,
} from "../../core/snapshot/checkCrossFields.js";
import { parseSnapshot } from "../../core/snapshot/parseSnapshot.js";
import { type PositionData, snapshotSchema } from "../../core/snapshot/schema.js";
import type { Snapshot } from "../../core/snapshot/snapshot.js";
import { headerOf } from "../../core/snapshot/snapshotChanges.js";
import { validatePosition } from "../../core/snapshot/validatePositions.js";
import {
  ACCOUNT,
  ACCOUNT_ENCODING_KEY,
  ADDRESS_ENCODING,
  COLLATERAL,
  DEBT,
  DOCUMENT_INDEX,
  DYNAMIC_CONFIG,
  EMODE,
  HEADER_KEY,
  MARKET,
} from "./arrowSnapshotLayout.js";

const decoder = new TextDecoder();
/** ASCII codes of "0123456789abcdef". */
const HEX_DIGITS = Uint8Array.from("0123456789abcdef", (c) => c.charCodeAt(0));
/** Per byte value, its two hex digits as one 16-bit unit in memory order (any endianness). */
const HEX_PAIRS = new Uint16Array(
  Uint8Array.from({ length: 512 }, (_, k) => HEX_DIGITS[k & 1 ? (k >> 1) & 15 : k >> 5]!).buffer,
);
/** "0x" as one 16-bit unit in memory order. */
const PREFIX_0X = new Uint16Array(Uint8Array.of(0x30, 0x78).buffer)[0]!;

/** The file's one problem in the words a user can act on. */
function layoutError(problem: string): UserInputError {
  return new UserInputError(
    `not a cascade snapshot in Arrow layout: ${problem} (see docs/snapshot-formats.md)`,
  );
}

function columnOf(table: Table, name: string, required: boolean): Data | undefined {
  const vector = table.getChild(name);
  if (vector === null) {
    if (required) throw layoutError(`no column "${name}"`);
    return undefined;
  }
  if (vector.data.length !== 1)
    throw layoutError(`column "${name}" spans ${vector.data.length} record batches; write one`);
  return vector.data[0]!;
}

/** Per row, whether a nullable column has a value there. */
function validityOf(data: Data): (i: number) => boolean {
  const bitmap = data.nullBitmap;
  if (data.nullCount === 0 || bitmap === undefined || bitmap.length === 0) return () => true;
  const offset = data.offset;
  return (i) => (bitmap[(offset + i) >> 3]! & (1 << ((offset + i) & 7))) !== 0;
}

function dictionaryStrings(data: Data, name: string): string[] {
  if (data.typeId !== Type.Dictionary || data.dictionary === undefined)
    throw layoutError(`column "${name}" is not dictionary-encoded text`);
  return data.dictionary.toArray() as string[];
}

function textAt(data: Data, i: number): string {
  const offsets = data.valueOffsets as Int32Array;
  const values = data.values as Uint8Array;
  return decoder.decode(values.subarray(offsets[data.offset + i]!, offsets[data.offset + i + 1]!));
}

/** One side's entries: per row `offsets[i] .. offsets[i + 1] - 1` into `asset` (dictionary indices) and `amount`. */
interface Entries {
  readonly offsets: Int32Array;
  readonly asset: ArrayLike<number>;
  readonly assets: readonly string[];
  readonly amount: Float64Array;
}

function entriesOf(data: Data, name: string): Entries {
  if (data.typeId !== Type.List || data.children.length !== 1)
    throw layoutError(`column "${name}" is not a list`);
  const item = data.children[0]!;
  if (item.typeId !== Type.Struct || item.children.length !== 2)
    throw layoutError(`column "${name}" items are not struct<asset, amount>`);
  const [assetData, amountData] = item.children as [Data, Data];
  if (amountData.typeId !== Type.Float || !(amountData.values instanceof Float64Array))
    throw layoutError(`column "${name}.amount" is not float64`);
  if (data.nullCount > 0 || item.nullCount > 0 || assetData.nullCount > 0 || amountData.nullCount > 0)
    throw layoutError(`column "${name}" has nulls`);
  const offsets = (data.valueOffsets as Int32Array).subarray(data.offset, data.offset + data.length + 1);
  const base = offsets[0]!;
  const asset = (assetData.values as Int32Array).subarray(assetData.offset);
  const amount = (amountData.values as Float64Array).subarray(amountData.offset);
  return {
    offsets: base === 0 ? offsets : offsets.map((o) => o - base),
    asset: base === 0 ? asset : asset.subarray(base),
    assets: dictionaryStrings(assetData, `${name}.asset`),
    amount: base === 0 ? amount : amount.subarray(base),
  };
}

type SnapshotHeader = Omit<Snapshot, "positions">;

interface Columns {
  readonly header: unknown;
  readonly count: number;
  readonly marketIndex: ArrayLike<number>;
  readonly markets: readonly string[];
  /** The accounts as the book keeps them: no string per address. */
  readonly accounts: AccountColumns;
  /** The accounts' 20 bytes each, when stored as addresses. */
  readonly addressBytes: Uint8Array | undefined;
  /** The accounts as text, made on first call (for position objects). */
  readonly accountTexts: () => readonly string[];
  readonly collateral: Entries;
  readonly debt: Entries;
  /** Per row, the eMode, or undefined. */
  readonly emodeAt: (i: number) => number | undefined;
  /** Per row, the dynamic configuration as JSON text, or undefined. */
  readonly dynamicConfigAt: (i: number) => string | undefined;
  readonly hasDynamicConfig: boolean;
  /** Per index in the JSON document, its row, when the rows are not in the document's order. */
  readonly rowOf: Int32Array | undefined;
}

/** The text of `count` addresses of 20 bytes each: `0x` and 40 lowercase hex digits. */
function addressTexts(values: Uint8Array, count: number): string[] {
  // "0x" and 40 hex digits per row in one ASCII buffer, written two characters at a time.
  const ascii = new Uint16Array(count * 21);
  for (let i = 0, at = 0; i < count; i++) {
    ascii[at++] = PREFIX_0X;
    for (let b = i * 20; b < i * 20 + 20; b++) ascii[at++] = HEX_PAIRS[values[b]!]!;
  }
  // One string decoded once, cut with slice (V8 shares the characters instead of copying them).
  const text = Buffer.from(ascii.buffer).toString("latin1");
  // Filled with push: `new Array(n)` of a million is a slow dictionary in V8.
  const texts: string[] = [];
  for (let i = 0; i < count; i++) texts.push(text.slice(i * 42, i * 42 + 42));
  return texts;
}

/** Per document index, its row: the inverse of a `document_index` column, which must be a permutation. */
function rowsByDocumentIndex(data: Data, count: number): Int32Array {
  if (data.typeId !== Type.Int || !(data.values instanceof Int32Array) || data.nullCount > 0)
    throw layoutError(`column "${DOCUMENT_INDEX}" is not int32 without nulls`);
  const index = data.values.subarray(data.offset, data.offset + count);
  const rowOf = new Int32Array(count).fill(-1);
  for (let row = 0; row < count; row++) {
    const k = index[row]!;
    if (!(k >= 0 && k < count) || rowOf[k] !== -1)
      throw layoutError(`column "${DOCUMENT_INDEX}" does not number the rows 0 .. ${count - 1} once each`);
    rowOf[k] = row;
  }
  return rowOf;
}

function readColumns(bytes: Uint8Array): Columns {
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (error) {
    throw layoutError(`unreadable Arrow IPC (${error instanceof Error ? error.message : String(error)})`);
  }
  const headerText = table.schema.metadata.get(HEADER_KEY);
  if (headerText === undefined) throw layoutError(`no "${HEADER_KEY}" in the schema metadata`);
  let header: unknown;
  try {
    header = JSON.parse(headerText);
  } catch {
    throw layoutError(`"${HEADER_KEY}" is not JSON`);
  }
  const market = columnOf(table, MARKET, true)!;
  const account = columnOf(table, ACCOUNT, true)!;
  if (market.nullCount > 0 || account.nullCount > 0) throw layoutError("market or account has nulls");
  const accountField = table.schema.fields.find((f) => f.name === ACCOUNT)!;
  const count = table.numRows;
  let accounts: AccountColumns;
  let addressBytes: Uint8Array | undefined;
  let accountTexts: () => string[];
  if (
    account.typeId === Type.FixedSizeBinary &&
    accountField.metadata.get(ACCOUNT_ENCODING_KEY) === ADDRESS_ENCODING
  ) {
    const values = (account.values as Uint8Array).subarray(
      account.offset * 20,
      (account.offset + count) * 20,
    );
    addressBytes = values;
    accounts = { address: values, textStart: new Int32Array(count + 1), text: [] };
    accountTexts = () => addressTexts(values, count);
  } else if (account.typeId === Type.Utf8) {
    const texts: string[] = [];
    for (let i = 0; i < count; i++) texts.push(textAt(account, i));
    accounts = accountColumnsOf(count, (i) => texts[i]!);
    accountTexts = () => texts;
  } else throw layoutError(`column "${ACCOUNT}" is neither text nor 20-byte addresses`);
  let texts: string[] | undefined;
  const emode = columnOf(table, EMODE, false);
  if (
    emode !== undefined &&
    (emode.typeId !== Type.Int ||
      !(
        emode.values instanceof Int8Array ||
        emode.values instanceof Int16Array ||
        emode.values instanceof Int32Array
      ))
  )
    throw layoutError(`column "${EMODE}" is not int8, int16 or int32`);
  const documentIndex = columnOf(table, DOCUMENT_INDEX, false);
  const dynamicConfig = columnOf(table, DYNAMIC_CONFIG, false);
  if (dynamicConfig !== undefined && dynamicConfig.typeId !== Type.Utf8)
    throw layoutError(`column "${DYNAMIC_CONFIG}" is not text`);
  return {
    header,
    count: table.numRows,
    marketIndex: (market.values as Int32Array).subarray(market.offset),
    markets: dictionaryStrings(market, MARKET),
    accounts,
    addressBytes,
    accountTexts: () => {
      texts ??= accountTexts();
      return texts;
    },
    collateral: entriesOf(columnOf(table, COLLATERAL, true)!, COLLATERAL),
    debt: entriesOf(columnOf(table, DEBT, true)!, DEBT),
    emodeAt: columnAt(
      emode,
      (data, i) => (data.values as Int8Array | Int16Array | Int32Array)[data.offset + i]!,
    ),
    dynamicConfigAt: columnAt(dynamicConfig, textAt),
    hasDynamicConfig: dynamicConfig !== undefined && dynamicConfig.nullCount < dynamicConfig.length,
    rowOf: documentIndex === undefined ? undefined : rowsByDocumentIndex(documentIndex, count),
  };
}

function columnAt<T>(
  data: Data | undefined,
  read: (data: Data, i: number) => T,
): (i: number) => T | undefined {
  if (data === undefined) return () => undefined;
  const valid = validityOf(data);
  return (i) => (valid(i) ? read(data, i) : undefined);
}

function recordOf(entries: Entries, i: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (let k = entries.offsets[i]!; k < entries.offsets[i + 1]!; k++)
    out[entries.assets[entries.asset[k]!]!] = entries.amount[k]!;
  return out;
}

function positionAt(columns: Columns, i: number): PositionData {
  const position: { -readonly [K in keyof PositionData]: PositionData[K] } = {
    market: columns.markets[columns.marketIndex[i]!]!,
    account: columns.accountTexts()[i]!,
    collateral: recordOf(columns.collateral, i),
    debt: recordOf(columns.debt, i),
  };
  const emode = columns.emodeAt(i);
  if (emode !== undefined) position.emode = emode;
  if (columns.hasDynamicConfig) {
    const dynamicConfig = columns.dynamicConfigAt(i);
    if (dynamicConfig !== undefined)
      position.dynamicConfig = JSON.parse(dynamicConfig) as PositionData["dynamicConfig"];
  }
  return position;
}

/** The positions in the JSON document's order. */
function positionsOf(columns: Columns): PositionData[] {
  const positions: PositionData[] = [];
  const rowOf = columns.rowOf;
  for (let k = 0; k < columns.count; k++)
    positions.push(positionAt(columns, rowOf === undefined ? k : rowOf[k]!));
  return positions;
}

function documentOf(columns: Columns): unknown {
  const positions = positionsOf(columns);
  const header = columns.header;
  return typeof header === "object" && header !== null && !Array.isArray(header)
    ? { ...header, positions }
    : header;
}

/** The JSON document an Arrow snapshot file holds (not validated). @throws UserInputError when the file is not in the layout. */
export function decodeArrowSnapshot(bytes: Uint8Array): unknown {
  return documentOf(readColumns(bytes));
}

/**
 * Column checks that pass only when every position passes `parseSnapshot`'s own checks; the
 * validated dynamic configurations go into `dynamicConfigs` by row. Without `checkUnique`, that
 * no market holds one account twice is left to the caller.
 */
function columnsPass(
  columns: Columns,
  context: PositionContext,
  dynamicConfigs: DynamicConfigs | undefined,
  checkUnique: boolean,
): boolean {
  const fits = new Map<string, boolean>();
  const fitsOnce = (key: string, position: PositionData): boolean => {
    let ok = fits.get(key);
    if (ok === undefined) {
      ok = checkPositionFits(position, 0, context) === undefined;
      fits.set(key, ok);
    }
    return ok;
  };
  for (const market of columns.markets) if (market === "" || !context.markets.has(market)) return false;
  for (const side of [COLLATERAL, DEBT] as const) {
    const entries = columns[side === COLLATERAL ? "collateral" : "debt"];
    if (entries.assets.includes("")) return false;
    for (const amount of entries.amount)
      if (!(amount >= 0 && amount < Number.POSITIVE_INFINITY)) return false;
    // Per (market, asset) of this side: 0 not yet asked, 1 fits, 2 does not.
    const assetCount = entries.assets.length;
    const verdict = new Uint8Array(columns.markets.length * assetCount);
    for (let i = 0; i < columns.count; i++) {
      const k0 = entries.offsets[i]!;
      const k1 = entries.offsets[i + 1]!;
      const m = columns.marketIndex[i]!;
      for (let k = k0; k < k1; k++) {
        const a = entries.asset[k]!;
        // The same asset twice in one position is no JSON object.
        for (let e = k0; e < k; e++) if (entries.asset[e] === a) return false;
        const cell = m * assetCount + a;
        if (verdict[cell] === 0) {
          const probe = {
            market: columns.markets[m]!,
            account: "x",
            collateral: {},
            debt: {},
            [side]: { [entries.assets[a]!]: 0 },
          };
          verdict[cell] = checkPositionFits(probe, 0, context) === undefined ? 1 : 2;
        }
        if (verdict[cell] === 2) return false;
      }
    }
  }
  if (columns.accounts.text.some((account) => account === "")) return false;
  return rowsPass(columns, context, fitsOnce, dynamicConfigs) && (!checkUnique || accountsUnique(columns));
}

/**
 * No two positions of one market share an account. Addresses: the first 6 bytes of each, sorted
 * per market, must all differ (a tie, about one file in 500 at a million addresses, takes the
 * exact check).
 */
function accountsUnique(columns: Columns): boolean {
  const bytes = columns.addressBytes;
  if (bytes === undefined) return accountsUniqueExactly(columns);
  if (inBookOrder(columns, bytes)) return true;
  const marketCount = columns.markets.length;
  const start = new Int32Array(marketCount + 1);
  for (let i = 0; i < columns.count; i++) start[columns.marketIndex[i]! + 1]!++;
  for (let m = 0; m < marketCount; m++) start[m + 1]! += start[m]!;
  const fill = start.slice(0, marketCount);
  const keys = new Float64Array(columns.count);
  for (let i = 0; i < columns.count; i++) {
    const b = i * 20;
    keys[fill[columns.marketIndex[i]!]!++] =
      bytes[b]! * 2 ** 40 +
      bytes[b + 1]! * 2 ** 32 +
      bytes[b + 2]! * 2 ** 24 +
      bytes[b + 3]! * 2 ** 16 +
      bytes[b + 4]! * 2 ** 8 +
      bytes[b + 5]!;
  }
  for (let m = 0; m < marketCount; m++) {
    const group = keys.subarray(start[m]!, start[m + 1]!).sort();
    for (let k = 1; k < group.length; k++)
      if (group[k] === group[k - 1]) return accountsUniqueExactly(columns);
  }
  return true;
}

/** Whether the rows ascend strictly by market id, then address (as `snapshot` writes them): no repeats then. */
function inBookOrder(columns: Columns, bytes: Uint8Array): boolean {
  const ids = columns.markets;
  const byId = ids.map((_, m) => m).sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
  const rank = new Int32Array(ids.length);
  byId.forEach((m, r) => {
    rank[m] = r;
  });
  const market = columns.marketIndex;
  for (let i = 1; i < columns.count; i++) {
    const d = rank[market[i]!]! - rank[market[i - 1]!]!;
    if (d < 0 || (d === 0 && compareAddresses(bytes, (i - 1) * 20, bytes, i * 20) >= 0)) return false;
  }
  return true;
}

function accountsUniqueExactly(columns: Columns): boolean {
  const accounts = new Map<number, Set<string>>();
  const texts = columns.accountTexts();
  for (let i = 0; i < columns.count; i++) {
    const m = columns.marketIndex[i]!;
    const account = texts[i]!;
    if (account === "") return false;
    let seen = accounts.get(m);
    if (seen === undefined) {
      seen = new Set();
      accounts.set(m, seen);
    }
    if (seen.has(account)) return false;
    seen.add(account);
  }
  return true;
}

/** Validated dynamic configurations by row: row `i`'s is `values[at[i]]`, none where `at[i]` is -1. */
interface DynamicConfigs {
  readonly at: Int32Array;
  readonly values: DynamicConfig[];
}

/**
 * A dynamic configuration's checks depend on its market and its text only: a probe position
 * with empty sides carries it through `validatePosition` and `checkPositionFits`. The validated
 * configuration, or null when it fails.
 */
function checkedDynamicConfig(market: string, text: string, context: PositionContext): DynamicConfig | null {
  let position: PositionData | SnapshotError;
  try {
    position = validatePosition(
      { market, account: "x", collateral: {}, debt: {}, dynamicConfig: JSON.parse(text) as unknown },
      0,
    );
  } catch {
    return null;
  }
  if (position instanceof SnapshotError || checkPositionFits(position, 0, context) !== undefined) return null;
  return position.dynamicConfig ?? null;
}

/** eModes and dynamic configurations, each distinct (market, value) checked once. */
function rowsPass(
  columns: Columns,
  context: PositionContext,
  fitsOnce: (key: string, position: PositionData) => boolean,
  dynamicConfigs: DynamicConfigs | undefined,
): boolean {
  // Per market, the eModes found to fit; per market and text, the index of the checked configuration.
  const emodesFit = columns.markets.map(() => new Set<number>());
  const configIndex = new Map<string, number>();
  for (let i = 0; i < columns.count; i++) {
    const m = columns.marketIndex[i]!;
    const value = columns.emodeAt(i);
    if (value !== undefined && value !== 0 && !emodesFit[m]!.has(value)) {
      if (value < 0) return false;
      const market = columns.markets[m]!;
      const position = { market, account: "x", collateral: {}, debt: {}, emode: value };
      if (!fitsOnce(`emode\u0000${market}\u0000${value}`, position)) return false;
      emodesFit[m]!.add(value);
    }
    if (dynamicConfigs === undefined) continue;
    const text = columns.dynamicConfigAt(i);
    if (text === undefined) continue;
    const key = `${m}\u0000${text}`;
    let k = configIndex.get(key);
    if (k === undefined) {
      const config = checkedDynamicConfig(columns.markets[m]!, text, context);
      if (config === null) return false;
      k = dynamicConfigs.values.length;
      dynamicConfigs.values.push(config);
      configIndex.set(key, k);
    }
    dynamicConfigs.at[i] = k;
  }
  return true;
}

/** The validated header and dynamic configurations, when every column check passes; else undefined (ask `parseSnapshot`). */
function validatedColumns(
  columns: Columns,
  checkUnique: boolean,
): { header: SnapshotHeader; dynamicConfigs: DynamicConfigs | undefined } | undefined {
  const header = columns.header;
  if (typeof header !== "object" || header === null || Array.isArray(header)) return undefined;
  const parsed = snapshotSchema.safeParse({ ...header, positions: [] });
  if (!parsed.success) return undefined;
  const context = checkHeaderCrossFields(parsed.data);
  if (context instanceof SnapshotError) return undefined;
  const dynamicConfigs = columns.hasDynamicConfig
    ? { at: new Int32Array(columns.count).fill(-1), values: [] }
    : undefined;
  if (!columnsPass(columns, context, dynamicConfigs, checkUnique)) return undefined;
  return { header: headerOf(parsed.data), dynamicConfigs };
}

/**
 * Reads and validates an Arrow snapshot file.
 * @throws SnapshotError as `parseSnapshot` of the decoded document would; UserInputError when the file is not in the layout.
 */
export function readArrowSnapshot(bytes: Uint8Array): Snapshot {
  const columns = readColumns(bytes);
  const valid = validatedColumns(columns, true);
  if (valid === undefined) return parseSnapshot(documentOf(columns));
  return { ...valid.header, positions: positionsOf(columns) };
}

/** A validated snapshot and its compiled book. */
export interface ArrowBook {
  /** The snapshot; its positions are built from the columns on first access. */
  readonly snapshot: Snapshot;
  /** Equal to `compileBook(snapshot)`, compiled from the columns. */
  readonly book: Book;
}

/**
 * Reads and validates an Arrow snapshot file and compiles its book straight from the columns:
 * no object per position unless `snapshot.positions` is read. When a column check fails, the
 * decoded document goes through `parseSnapshot` and `compileBook`, so errors are the JSON's own.
 * @throws SnapshotError as `parseSnapshot` of the decoded document would; UserInputError when the file is not in the layout.
 */
export function readArrowBook(bytes: Uint8Array): ArrowBook {
  const columns = readColumns(bytes);
  // Accounts are checked on the book: sorted by market and account, a repeat is a neighbour.
  const valid = validatedColumns(columns, false);
  const fromDocument = (): ArrowBook => {
    const snapshot = parseSnapshot(documentOf(columns));
    return { snapshot, book: compileBook(snapshot) };
  };
  if (valid === undefined) return fromDocument();
  const { header, dynamicConfigs } = valid;
  const positionColumns: PositionColumns = {
    count: columns.count,
    market: columns.marketIndex,
    marketIds: columns.markets,
    accounts: columns.accounts,
    collateral: entryColumnsOf(columns.collateral),
    debt: entryColumnsOf(columns.debt),
    emodeAt: columns.emodeAt,
    dynamicConfigOf:
      dynamicConfigs === undefined
        ? () => undefined
        : (i) => {
            const k = dynamicConfigs.at[i]!;
            return k < 0 ? undefined : dynamicConfigs.values[k];
          },
  };
  const { book } = compileBookOfPositions({ ...header, positions: [] }, (assets, marketIndex) =>
    rawPositionsOfColumns(positionColumns, assets, marketIndex),
  );
  if (hasRepeatedAccount(book.positions.market, book.positions.accounts)) return fromDocument();
  let positions: PositionData[] | undefined;
  const snapshot: Snapshot = {
    ...header,
    get positions(): PositionData[] {
      positions ??= positionsOf(columns);
      return positions;
    },
  };
  return { snapshot, book };
}

function entryColumnsOf(entries: Entries): EntryColumns {
  return { offsets: entries.offsets, asset: entries.asset, assetIds: entries.assets, amount: entries.amount };
}
