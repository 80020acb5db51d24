/**
 * Positions in snapshot order as compressed rows with book indices: what `compileBook` reads of
 * a snapshot's positions before putting them in report order. Two sources fill it, one rule:
 * position objects (`rawPositionsOf`) and dictionary-encoded columns (`rawPositionsOfColumns`,
 * the Arrow snapshot's layout), both through `insertEntry`.
 */
import type { PositionData } from "../snapshot/schema.js";
import type { BookAssets } from "./book.js";
import { type AccountColumns, accountColumnsOf } from "./bookAccounts.js";

/** Aave V4 per-position configuration, as validated. */
export type DynamicConfig = NonNullable<PositionData["dynamicConfig"]>;

/**
 * Position `i`'s collateral entries are `collStart[i] .. collStart[i + 1] - 1`, sorted by asset
 * index (-1 for an asset the book does not know); the same for debt. Amounts in token units.
 */
export interface RawPositions {
  readonly count: number;
  /** Book market index. */
  readonly market: Int32Array;
  readonly accounts: AccountColumns;
  /** The eMode field, 0 where absent. */
  readonly emode: ArrayLike<number>;
  readonly collStart: Int32Array;
  readonly collAsset: Int32Array;
  readonly collAmount: Float64Array;
  readonly debtStart: Int32Array;
  readonly debtAsset: Int32Array;
  readonly debtAmount: Float64Array;
  readonly dynamicConfigOf: (i: number) => DynamicConfig | undefined;
}

/** One side of dictionary-encoded positions: row `i`'s entries are `offsets[i] .. offsets[i + 1] - 1`. */
export interface EntryColumns {
  readonly offsets: Int32Array;
  /** Per entry, an index into `assetIds`. */
  readonly asset: ArrayLike<number>;
  readonly assetIds: readonly string[];
  /** Token units. */
  readonly amount: Float64Array;
}

/** Positions as dictionary-encoded columns, validated as `parseSnapshot` validates position objects. */
export interface PositionColumns {
  readonly count: number;
  /** Per row, an index into `marketIds`. */
  readonly market: ArrayLike<number>;
  readonly marketIds: readonly string[];
  readonly accounts: AccountColumns;
  readonly collateral: EntryColumns;
  readonly debt: EntryColumns;
  /** Per row, the eMode field or undefined. */
  readonly emodeAt: (i: number) => number | undefined;
  readonly dynamicConfigOf: (i: number) => DynamicConfig | undefined;
}

/** Puts entry (asset index `a`, `amount`) among the `n` entries written from `at`, keeping them sorted by asset index. */
function insertEntry(
  a: number,
  amount: number,
  at: number,
  n: number,
  assetOut: Int32Array,
  amountOut: Float64Array,
): void {
  // Insertion sort: positions hold a handful of assets.
  let k = at + n;
  while (k > at && assetOut[k - 1]! > a) {
    assetOut[k] = assetOut[k - 1]!;
    amountOut[k] = amountOut[k - 1]!;
    k--;
  }
  assetOut[k] = a;
  amountOut[k] = amount;
}

/** Writes one side (collateral or debt) of a position into the CSR arrays, sorted by asset index. */
export function writeEntries(
  amounts: Readonly<Record<string, number>>,
  assets: BookAssets,
  at: number,
  assetOut: Int32Array,
  amountOut: Float64Array,
): number {
  let n = 0;
  for (const id in amounts) {
    insertEntry(assets.indexOf.get(id) ?? -1, amounts[id]!, at, n, assetOut, amountOut);
    n++;
  }
  return at + n;
}

/** Compressed rows of validated position objects. */
export function rawPositionsOf(
  list: readonly PositionData[],
  assets: BookAssets,
  marketIndex: ReadonlyMap<string, number>,
): RawPositions {
  const count = list.length;
  // Sequential reads of the position objects: counts first, then entries.
  const collStart = new Int32Array(count + 1);
  const debtStart = new Int32Array(count + 1);
  for (let i = 0; i < count; i++) {
    const p = list[i]!;
    let nColl = 0;
    let nDebt = 0;
    for (const _ in p.collateral) nColl++;
    for (const _ in p.debt) nDebt++;
    collStart[i + 1] = collStart[i]! + nColl;
    debtStart[i + 1] = debtStart[i]! + nDebt;
  }
  const collAsset = new Int32Array(collStart[count]!);
  const collAmount = new Float64Array(collStart[count]!);
  const debtAsset = new Int32Array(debtStart[count]!);
  const debtAmount = new Float64Array(debtStart[count]!);
  const market = new Int32Array(count);
  const emode = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const p = list[i]!;
    market[i] = marketIndex.get(p.market) ?? 0;
    emode[i] = p.emode ?? 0;
    writeEntries(p.collateral, assets, collStart[i]!, collAsset, collAmount);
    writeEntries(p.debt, assets, debtStart[i]!, debtAsset, debtAmount);
  }
  return {
    count,
    market,
    accounts: accountColumnsOf(count, (i) => list[i]!.account),
    emode,
    collStart,
    collAsset,
    collAmount,
    debtStart,
    debtAsset,
    debtAmount,
    dynamicConfigOf: (i) => list[i]!.dynamicConfig,
  };
}

function entriesOfColumns(
  side: EntryColumns,
  count: number,
  assets: BookAssets,
): { start: Int32Array; asset: Int32Array; amount: Float64Array } {
  const bookAsset = side.assetIds.map((id) => assets.indexOf.get(id) ?? -1);
  const start = side.offsets.subarray(0, count + 1);
  const total = start[count]!;
  const asset = new Int32Array(total);
  const amount = new Float64Array(total);
  for (let i = 0; i < count; i++) {
    const k0 = start[i]!;
    const k1 = start[i + 1]!;
    for (let k = k0; k < k1; k++)
      insertEntry(bookAsset[side.asset[k]!]!, side.amount[k]!, k0, k - k0, asset, amount);
  }
  return { start, asset, amount };
}

/** Compressed rows of validated position columns: the same rows `rawPositionsOf` writes for the same positions. */
export function rawPositionsOfColumns(
  columns: PositionColumns,
  assets: BookAssets,
  marketIndex: ReadonlyMap<string, number>,
): RawPositions {
  const count = columns.count;
  const bookMarket = columns.marketIds.map((id) => marketIndex.get(id) ?? 0);
  const market = new Int32Array(count);
  const emode = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    market[i] = bookMarket[columns.market[i]!]!;
    emode[i] = columns.emodeAt(i) ?? 0;
  }
  const collateral = entriesOfColumns(columns.collateral, count, assets);
  const debt = entriesOfColumns(columns.debt, count, assets);
  return {
    count,
    market,
    accounts: columns.accounts,
    emode,
    collStart: collateral.start,
    collAsset: collateral.asset,
    collAmount: collateral.amount,
    debtStart: debt.start,
    debtAsset: debt.asset,
    debtAmount: debt.amount,
    dynamicConfigOf: columns.dynamicConfigOf,
  };
}
