/**
 * Writes a book's positions with some of them removed, recompiled or inserted, without touching
 * the others: runs of unchanged positions are block copies of the typed arrays. The result is
 * what `compileBook` writes for the same positions (report order, entries by asset index).
 */
import type { AccountId } from "../ids.js";
import type { MarketData, PositionData } from "../snapshot/schema.js";
import type { Book, BookAssets, BookOracles, BookPositions } from "./book.js";
import { PROTOCOL_AAVE } from "./book.js";
import { ADDRESS_BYTES, writeAddress } from "./bookAccounts.js";
import {
  type EntryTable,
  entryTable,
  fillEntryTerms,
  type PositionsDraft,
  protocolCode,
} from "./compileBook.js";
import { writeEntries } from "./rawPositions.js";

/** Per old position: kept as it is, removed, or compiled again from `PositionEdits.data`. */
export const KEEP = 0;
export const REMOVE = 1;
export const RECOMPILE = 2;

export interface PositionInsert {
  /** The old position it goes before (`count` for the end). */
  readonly before: number;
  readonly market: number;
  readonly data: PositionData;
}

export interface PositionEdits {
  /** Per old position: `KEEP`, `REMOVE` or `RECOMPILE`. */
  readonly action: Uint8Array;
  /** The old positions not kept (`REMOVE` or `RECOMPILE`), ascending: the update visits only these. */
  readonly touched: Int32Array;
  /** Per old position, its data (kept as it is). */
  readonly data: readonly PositionData[];
  /** Data of positions `RECOMPILE`d with new data, by old index (else their old data). */
  readonly replaced: ReadonlyMap<number, PositionData>;
  /** Sorted by `before`, then market, then account. */
  readonly inserts: readonly PositionInsert[];
}

export interface UpdatedPositions {
  readonly positions: BookPositions;
  /** Per new position, its data (the new snapshot's positions, in book order). */
  readonly data: PositionData[];
  /** Per old position, its new index, or -1 when removed or recompiled. */
  readonly oldToNew: Int32Array;
  /** New indices of recompiled and inserted positions, ascending. */
  readonly compiled: Int32Array;
  /** What the new positions are written in. */
  readonly storage: PositionStorage;
}

export function countKeys(record: Readonly<Record<string, number>>): number {
  let n = 0;
  for (const _ in record) n++;
  return n;
}

/**
 * Arrays a book's positions can be written into, with room to spare: an update writes into the
 * storage of the book two updates back (which it consumes) instead of allocating ~150 MB per
 * million positions, whose page faults and garbage collections would cost more than the update.
 */
export interface PositionStorage {
  readonly market: Int32Array;
  readonly protocol: Uint8Array;
  readonly emode: Int32Array;
  /** One more than the positions. */
  readonly collStart: Int32Array;
  readonly debtStart: Int32Array;
  readonly collAsset: Int32Array;
  readonly collOracle: Int32Array;
  readonly collAmount: Float64Array;
  readonly collThreshold: Float64Array;
  readonly collBonus: Float64Array;
  readonly collProtocolFee: Float64Array;
  readonly collLiquidationFactor: Float64Array;
  readonly debtAsset: Int32Array;
  readonly debtOracle: Int32Array;
  readonly debtAmount: Float64Array;
  /** The accounts' columns: 20 bytes per position, one more text start than positions. */
  readonly accountAddress: Uint8Array;
  readonly accountTextStart: Int32Array;
  readonly accountText: AccountId[];
  readonly data: PositionData[];
  /** The liquidation index's arrays (`groupOf`, `positions`, `healthFactor0`), room for every position. */
  readonly indexGroupOf: Int32Array;
  readonly indexMembers: Int32Array;
  readonly indexHealth: Float64Array;
  /** Scratch of one update: per old position, its new index. */
  readonly oldToNew: Int32Array;
}

/** A book's own arrays as storage (no room to spare). */
export function storageOf(book: Book, data: PositionData[]): PositionStorage {
  const positions = book.positions;
  return {
    ...positions,
    accountAddress: positions.accounts.address,
    accountTextStart: positions.accounts.textStart,
    accountText: positions.accounts.text as AccountId[],
    data,
    indexGroupOf: book.index.groupOf,
    indexMembers: book.index.positions,
    indexHealth: book.index.healthFactor0,
    oldToNew: new Int32Array(0),
  };
}

/** Room for growth when storage is allocated: an eighth more. */
const SLACK = 1.125;

function storageFor(
  spare: PositionStorage | undefined,
  oldCount: number,
  count: number,
  coll: number,
  debt: number,
): PositionStorage {
  if (
    spare !== undefined &&
    spare.market.length >= count &&
    spare.accountAddress.length >= count * ADDRESS_BYTES &&
    spare.accountTextStart.length >= count + 1 &&
    spare.collAsset.length >= coll &&
    spare.debtAsset.length >= debt &&
    spare.indexGroupOf.length >= count &&
    spare.indexMembers.length >= count &&
    spare.indexHealth.length >= count &&
    spare.oldToNew.length >= oldCount
  )
    return spare;
  const n = Math.ceil(Math.max(count, oldCount) * SLACK);
  const c = Math.ceil(coll * SLACK);
  const d = Math.ceil(debt * SLACK);
  return {
    market: new Int32Array(n),
    protocol: new Uint8Array(n),
    emode: new Int32Array(n),
    collStart: new Int32Array(n + 1),
    debtStart: new Int32Array(n + 1),
    collAsset: new Int32Array(c),
    collOracle: new Int32Array(c),
    collAmount: new Float64Array(c),
    collThreshold: new Float64Array(c),
    collBonus: new Float64Array(c),
    collProtocolFee: new Float64Array(c),
    collLiquidationFactor: new Float64Array(c),
    debtAsset: new Int32Array(d),
    debtOracle: new Int32Array(d),
    debtAmount: new Float64Array(d),
    accountAddress: new Uint8Array(n * ADDRESS_BYTES),
    accountTextStart: new Int32Array(n + 1),
    accountText: [],
    data: [],
    indexGroupOf: new Int32Array(n),
    indexMembers: new Int32Array(n),
    indexHealth: new Float64Array(n),
    oldToNew: new Int32Array(n),
  };
}

/** Where the next position, its entries and its account's text (when not an address) are written. */
interface Cursor {
  j: number;
  coll: number;
  debt: number;
  text: number;
}

/** Copies old positions `from .. to - 1` as they are, entries in block copies. */
function copyRun(
  old: BookPositions,
  out: PositionsDraft,
  cursor: Cursor,
  from: number,
  to: number,
  data: readonly PositionData[],
  newData: PositionData[],
  oldToNew: Int32Array,
): void {
  if (to <= from) return;
  const j0 = cursor.j;
  out.market.set(old.market.subarray(from, to), j0);
  out.protocol.set(old.protocol.subarray(from, to), j0);
  out.emode.set(old.emode.subarray(from, to), j0);
  const c0 = old.collStart[from]!;
  const c1 = old.collStart[to]!;
  const d0 = old.debtStart[from]!;
  const d1 = old.debtStart[to]!;
  const t0 = old.accounts.textStart[from]!;
  const t1 = old.accounts.textStart[to]!;
  const collShift = cursor.coll - c0;
  const debtShift = cursor.debt - d0;
  const textShift = cursor.text - t0;
  const { collStart, debtStart } = out;
  const textStart = out.accounts.textStart;
  const oldCollStart = old.collStart;
  const oldDebtStart = old.debtStart;
  const oldTextStart = old.accounts.textStart;
  for (let b = from, j = j0; b < to; b++, j++) {
    collStart[j] = oldCollStart[b]! + collShift;
    debtStart[j] = oldDebtStart[b]! + debtShift;
    textStart[j] = oldTextStart[b]! + textShift;
    newData[j] = data[b]!;
    oldToNew[b] = j;
  }
  out.accounts.address.set(
    old.accounts.address.subarray(from * ADDRESS_BYTES, to * ADDRESS_BYTES),
    j0 * ADDRESS_BYTES,
  );
  const text = out.accounts.text as AccountId[];
  for (let t = t0; t < t1; t++) text[t + textShift] = old.accounts.text[t]!;
  cursor.text = t1 + textShift;
  const coll = cursor.coll;
  const debt = cursor.debt;
  out.collAsset.set(old.collAsset.subarray(c0, c1), coll);
  out.collOracle.set(old.collOracle.subarray(c0, c1), coll);
  out.collAmount.set(old.collAmount.subarray(c0, c1), coll);
  out.collThreshold.set(old.collThreshold.subarray(c0, c1), coll);
  out.collBonus.set(old.collBonus.subarray(c0, c1), coll);
  out.collProtocolFee.set(old.collProtocolFee.subarray(c0, c1), coll);
  out.collLiquidationFactor.set(old.collLiquidationFactor.subarray(c0, c1), coll);
  out.debtAsset.set(old.debtAsset.subarray(d0, d1), debt);
  out.debtOracle.set(old.debtOracle.subarray(d0, d1), debt);
  out.debtAmount.set(old.debtAmount.subarray(d0, d1), debt);
  cursor.j = j0 + (to - from);
  cursor.coll = c1 + collShift;
  cursor.debt = d1 + debtShift;
}

/**
 * Writes position `p`'s entries (amounts, then terms from its market's `table`) from collateral
 * slot `c0` and debt slot `d0`, sorted by asset index; returns the slots after them.
 */
export function writePositionEntries(
  out: PositionsDraft,
  c0: number,
  d0: number,
  p: PositionData,
  table: EntryTable,
  assets: BookAssets,
): { readonly c1: number; readonly d1: number } {
  const c1 = writeEntries(p.collateral, assets, c0, out.collAsset, out.collAmount);
  const d1 = writeEntries(p.debt, assets, d0, out.debtAsset, out.debtAmount);
  fillEntryTerms(out, c0, c1, d0, d1, table, p.dynamicConfig, assets);
  return { c1, d1 };
}

/** A position's eMode as the book keeps it (Aave V3 only; 0 elsewhere). */
export function bookEmode(p: PositionData, protocol: number): number {
  return protocol === PROTOCOL_AAVE ? (p.emode ?? 0) : 0;
}

/** Entry tables by (market, eMode), built on first use. */
export function entryTables(
  markets: readonly MarketData[],
  assets: BookAssets,
  oracles: BookOracles,
): (m: number, emode: number) => EntryTable {
  const tables = new Map<number, EntryTable>();
  return (m, emode) => {
    const key = m * 2 ** 21 + emode;
    let table = tables.get(key);
    if (table === undefined) {
      table = entryTable(markets[m]!, emode, assets, oracles);
      tables.set(key, table);
    }
    return table;
  };
}

/** Compiles one position at the cursor, as `compileBook` does. */
function compilePosition(
  out: PositionsDraft,
  cursor: Cursor,
  p: PositionData,
  m: number,
  markets: readonly MarketData[],
  assets: BookAssets,
  tableFor: (m: number, emode: number) => EntryTable,
): void {
  const j = cursor.j;
  const protocol = protocolCode(markets[m]!);
  const emode = bookEmode(p, protocol);
  out.market[j] = m;
  out.protocol[j] = protocol;
  out.emode[j] = emode;
  out.accounts.textStart[j] = cursor.text;
  if (!writeAddress(p.account, out.accounts.address, j * ADDRESS_BYTES))
    (out.accounts.text as AccountId[])[cursor.text++] = p.account as AccountId;
  out.collStart[j] = cursor.coll;
  out.debtStart[j] = cursor.debt;
  const { c1, d1 } = writePositionEntries(out, cursor.coll, cursor.debt, p, tableFor(m, emode), assets);
  cursor.j = j + 1;
  cursor.coll = c1;
  cursor.debt = d1;
}

/** `markets`: sorted by id, as the book's market indices. */
export function updatePositions(
  old: BookPositions,
  edits: PositionEdits,
  assets: BookAssets,
  oracles: BookOracles,
  markets: readonly MarketData[],
  spare?: PositionStorage,
): UpdatedPositions {
  const { action, touched, data, replaced, inserts } = edits;
  let count = old.count + inserts.length;
  let collTotal = old.collStart[old.count]!;
  let debtTotal = old.debtStart[old.count]!;
  for (const b of touched) {
    const a = action[b]!;
    collTotal -= old.collStart[b + 1]! - old.collStart[b]!;
    debtTotal -= old.debtStart[b + 1]! - old.debtStart[b]!;
    if (a === REMOVE) count--;
    else {
      const p = replaced.get(b) ?? data[b]!;
      collTotal += countKeys(p.collateral);
      debtTotal += countKeys(p.debt);
    }
  }
  for (const insert of inserts) {
    collTotal += countKeys(insert.data.collateral);
    debtTotal += countKeys(insert.data.debt);
  }
  const storage = storageFor(spare, old.count, count, collTotal, debtTotal);
  // Arrays kept by index (a reused array is overwritten, then cut to length).
  const newData = storage.data;
  const out: PositionsDraft = {
    count,
    market: storage.market.subarray(0, count),
    protocol: storage.protocol.subarray(0, count),
    accounts: {
      address: storage.accountAddress.subarray(0, count * ADDRESS_BYTES),
      textStart: storage.accountTextStart.subarray(0, count + 1),
      text: storage.accountText,
    },
    emode: storage.emode.subarray(0, count),
    collStart: storage.collStart.subarray(0, count + 1),
    collAsset: storage.collAsset.subarray(0, collTotal),
    collOracle: storage.collOracle.subarray(0, collTotal),
    collAmount: storage.collAmount.subarray(0, collTotal),
    collThreshold: storage.collThreshold.subarray(0, collTotal),
    collBonus: storage.collBonus.subarray(0, collTotal),
    collProtocolFee: storage.collProtocolFee.subarray(0, collTotal),
    collLiquidationFactor: storage.collLiquidationFactor.subarray(0, collTotal),
    debtStart: storage.debtStart.subarray(0, count + 1),
    debtAsset: storage.debtAsset.subarray(0, debtTotal),
    debtOracle: storage.debtOracle.subarray(0, debtTotal),
    debtAmount: storage.debtAmount.subarray(0, debtTotal),
  };
  const oldToNew = storage.oldToNew.subarray(0, old.count).fill(-1);
  const compiled: number[] = [];
  const tableFor = entryTables(markets, assets, oracles);
  const cursor: Cursor = { j: 0, coll: 0, debt: 0, text: 0 };
  const compileOne = (p: PositionData, m: number): void => {
    compiled.push(cursor.j);
    newData[cursor.j] = p;
    compilePosition(out, cursor, p, m, markets, assets, tableFor);
  };
  // From one touched position or insert to the next; the old positions between are kept.
  let next = 0;
  let t = 0;
  let runStart = 0;
  for (;;) {
    const touchedAt = t < touched.length ? touched[t]! : old.count;
    const insertAt = next < inserts.length ? inserts[next]!.before : old.count;
    const b = Math.min(touchedAt, insertAt);
    copyRun(old, out, cursor, runStart, b, data, newData, oldToNew);
    runStart = b;
    for (; next < inserts.length && inserts[next]!.before === b; next++) {
      compileOne(inserts[next]!.data, inserts[next]!.market);
    }
    if (b === old.count) break;
    if (touchedAt === b) {
      if (action[b] === RECOMPILE) compileOne(replaced.get(b) ?? data[b]!, old.market[b]!);
      runStart = b + 1;
      t++;
    }
  }
  const { coll, debt, text } = cursor;
  out.collStart[count] = coll;
  out.debtStart[count] = debt;
  out.accounts.textStart[count] = text;
  storage.accountText.length = text;
  newData.length = count;
  return { positions: out, data: newData, oldToNew, compiled: Int32Array.from(compiled), storage };
}
