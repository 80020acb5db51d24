/**
 * Writes a book's positions with some of them removed, recompiled or inserted, without touching
 * the others: runs of unchanged positions are block copies of the typed arrays. The result is
 * what `compileBook` writes for the same positions (report order, entries by asset index).
 */
import type { AccountId } from "../ids.js";
import type { MarketData, PositionData } from "../snapshot/schema.js";
import type { Book, BookAssets, BookOracles, BookPositions } from "./book.js";
import { PROTOCOL_AAVE } from "./book.js";
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

function countKeys(record: Readonly<Record<string, number>>): number {
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
  readonly account: AccountId[];
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
    account: positions.account as AccountId[],
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
    account: [],
    data: [],
    indexGroupOf: new Int32Array(n),
    indexMembers: new Int32Array(n),
    indexHealth: new Float64Array(n),
    oldToNew: new Int32Array(n),
  };
}

/** Where the next position and its entries are written. */
interface Cursor {
  j: number;
  coll: number;
  debt: number;
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
  const collShift = cursor.coll - c0;
  const debtShift = cursor.debt - d0;
  const { account, collStart, debtStart } = out;
  const oldAccount = old.account;
  const oldCollStart = old.collStart;
  const oldDebtStart = old.debtStart;
  for (let b = from, j = j0; b < to; b++, j++) {
    account[j] = oldAccount[b]!;
    collStart[j] = oldCollStart[b]! + collShift;
    debtStart[j] = oldDebtStart[b]! + debtShift;
    newData[j] = data[b]!;
    oldToNew[b] = j;
  }
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
  const emode = protocol === PROTOCOL_AAVE ? (p.emode ?? 0) : 0;
  out.market[j] = m;
  out.protocol[j] = protocol;
  out.account[j] = p.account as AccountId;
  out.emode[j] = emode;
  const c0 = cursor.coll;
  const d0 = cursor.debt;
  out.collStart[j] = c0;
  out.debtStart[j] = d0;
  const c1 = writeEntries(p.collateral, assets, c0, out.collAsset, out.collAmount);
  const d1 = writeEntries(p.debt, assets, d0, out.debtAsset, out.debtAmount);
  fillEntryTerms(out, c0, c1, d0, d1, tableFor(m, emode), p.dynamicConfig, assets);
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
  const { action, data, replaced, inserts } = edits;
  let count = old.count + inserts.length;
  let collTotal = old.collStart[old.count]!;
  let debtTotal = old.debtStart[old.count]!;
  for (let b = 0; b < old.count; b++) {
    const a = action[b]!;
    if (a === KEEP) continue;
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
    account: storage.account,
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
  const tables = new Map<number, EntryTable>();
  const tableFor = (m: number, emode: number): EntryTable => {
    const key = m * 2 ** 21 + emode;
    let table = tables.get(key);
    if (table === undefined) {
      table = entryTable(markets[m]!, emode, assets, oracles);
      tables.set(key, table);
    }
    return table;
  };
  const cursor: Cursor = { j: 0, coll: 0, debt: 0 };
  const compileOne = (p: PositionData, m: number): void => {
    compiled.push(cursor.j);
    newData[cursor.j] = p;
    compilePosition(out, cursor, p, m, markets, assets, tableFor);
  };
  let next = 0;
  let runStart = 0;
  for (let b = 0; b <= old.count; b++) {
    const a = b < old.count ? action[b]! : REMOVE;
    const inserting = next < inserts.length && inserts[next]!.before === b;
    if (a === KEEP && !inserting) continue;
    copyRun(old, out, cursor, runStart, b, data, newData, oldToNew);
    runStart = b + 1;
    for (; next < inserts.length && inserts[next]!.before === b; next++) {
      compileOne(inserts[next]!.data, inserts[next]!.market);
    }
    if (b === old.count) break;
    if (a === KEEP) runStart = b;
    else if (a === RECOMPILE) compileOne(replaced.get(b) ?? data[b]!, old.market[b]!);
  }
  const { coll, debt } = cursor;
  out.collStart[count] = coll;
  out.debtStart[count] = debt;
  out.account.length = count;
  newData.length = count;
  return { positions: out, data: newData, oldToNew, compiled: Int32Array.from(compiled), storage };
}
