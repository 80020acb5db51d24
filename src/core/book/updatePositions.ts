/**
 * Writes a book's positions with some of them removed, recompiled or inserted, without touching
 * the others: runs of unchanged positions are block copies of the typed arrays. The result is
 * what `compileBook` writes for the same positions (report order, entries by asset index).
 */
import type { AccountId } from "../ids.js";
import type { MarketData, PositionData } from "../snapshot/schema.js";
import type { BookAssets, BookOracles, BookPositions } from "./book.js";
import { PROTOCOL_AAVE } from "./book.js";
import {
  type EntryTable,
  entryTable,
  fillEntryTerms,
  type PositionsDraft,
  protocolCode,
  writeEntries,
} from "./compileBook.js";

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
  /** Per old position, the data it is compiled from when `RECOMPILE`d (and kept as, otherwise). */
  readonly data: readonly PositionData[];
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
}

function countKeys(record: Readonly<Record<string, number>>): number {
  let n = 0;
  for (const _ in record) n++;
  return n;
}

/** `markets`: sorted by id, as the book's market indices. */
export function updatePositions(
  old: BookPositions,
  edits: PositionEdits,
  assets: BookAssets,
  oracles: BookOracles,
  markets: readonly MarketData[],
): UpdatedPositions {
  const { action, data, inserts } = edits;
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
      collTotal += countKeys(data[b]!.collateral);
      debtTotal += countKeys(data[b]!.debt);
    }
  }
  for (const insert of inserts) {
    collTotal += countKeys(insert.data.collateral);
    debtTotal += countKeys(insert.data.debt);
  }
  const out: PositionsDraft = {
    count,
    market: new Int32Array(count),
    protocol: new Uint8Array(count),
    account: new Array<AccountId>(count),
    emode: new Int32Array(count),
    collStart: new Int32Array(count + 1),
    collAsset: new Int32Array(collTotal),
    collOracle: new Int32Array(collTotal),
    collAmount: new Float64Array(collTotal),
    collThreshold: new Float64Array(collTotal),
    collBonus: new Float64Array(collTotal),
    collProtocolFee: new Float64Array(collTotal),
    collLiquidationFactor: new Float64Array(collTotal),
    debtStart: new Int32Array(count + 1),
    debtAsset: new Int32Array(debtTotal),
    debtOracle: new Int32Array(debtTotal),
    debtAmount: new Float64Array(debtTotal),
  };
  const newData = new Array<PositionData>(count);
  const oldToNew = new Int32Array(old.count).fill(-1);
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
  let j = 0;
  let coll = 0;
  let debt = 0;
  /** Copies old positions `from .. to - 1` as they are. */
  const copyRun = (from: number, to: number): void => {
    if (to <= from) return;
    out.market.set(old.market.subarray(from, to), j);
    out.protocol.set(old.protocol.subarray(from, to), j);
    out.emode.set(old.emode.subarray(from, to), j);
    const c0 = old.collStart[from]!;
    const c1 = old.collStart[to]!;
    const d0 = old.debtStart[from]!;
    const d1 = old.debtStart[to]!;
    const collShift = coll - c0;
    const debtShift = debt - d0;
    for (let b = from; b < to; b++, j++) {
      out.account[j] = old.account[b]!;
      out.collStart[j] = old.collStart[b]! + collShift;
      out.debtStart[j] = old.debtStart[b]! + debtShift;
      newData[j] = data[b]!;
      oldToNew[b] = j;
    }
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
    coll = c1 + collShift;
    debt = d1 + debtShift;
  };
  /** Compiles one position at `j`, as `compileBook` does. */
  const compileOne = (p: PositionData, m: number): void => {
    const protocol = protocolCode(markets[m]!);
    const emode = protocol === PROTOCOL_AAVE ? (p.emode ?? 0) : 0;
    out.market[j] = m;
    out.protocol[j] = protocol;
    out.account[j] = p.account as AccountId;
    out.emode[j] = emode;
    const c0 = coll;
    const d0 = debt;
    out.collStart[j] = c0;
    out.debtStart[j] = d0;
    coll = writeEntries(p.collateral, assets, c0, out.collAsset, out.collAmount);
    debt = writeEntries(p.debt, assets, d0, out.debtAsset, out.debtAmount);
    fillEntryTerms(out, c0, coll, d0, debt, tableFor(m, emode), p.dynamicConfig, assets);
    newData[j] = p;
    compiled.push(j);
    j++;
  };
  let next = 0;
  let runStart = 0;
  for (let b = 0; b <= old.count; b++) {
    const a = b < old.count ? action[b]! : REMOVE;
    const inserting = next < inserts.length && inserts[next]!.before === b;
    if (a === KEEP && !inserting) continue;
    copyRun(runStart, b);
    runStart = b + 1;
    for (; next < inserts.length && inserts[next]!.before === b; next++) {
      compileOne(inserts[next]!.data, inserts[next]!.market);
    }
    if (b === old.count) break;
    if (a === KEEP) runStart = b;
    else if (a === RECOMPILE) compileOne(data[b]!, old.market[b]!);
  }
  out.collStart[count] = coll;
  out.debtStart[count] = debt;
  return { positions: out, data: newData, oldToNew, compiled: Int32Array.from(compiled) };
}
