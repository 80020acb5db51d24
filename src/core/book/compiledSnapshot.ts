/**
 * A validated snapshot with its compiled book, brought up to date block by block.
 *
 * `applySnapshotChanges` validates only what changed and recompiles only the positions that
 * changed (and those of a market whose parameters changed); it throws exactly the error
 * `parseSnapshot(changedDocument(snapshot, changes))` throws, and the book it returns equals
 * `compileBook` of the changed snapshot, field for field. It compiles from scratch when the
 * header changes which assets, oracles or markets exist, or when most of the book changed (a
 * full re-read). A block that only moved balances (every change replaces a position with one of
 * the same shape, nothing opened or closed, no market's terms changed) is written over the held
 * book's own rows (`overwritePositions`); any other block writes the positions into spare arrays.
 *
 * Invariant: `snapshot.positions[i]` is book position `i` (report order: market id, then account).
 */
import { SnapshotError } from "../errors.js";
import { takenAtSecondsOf } from "../rules/aaveLiquidationFlags.js";
import { checkHeaderCrossFields, checkPositionFits } from "../snapshot/checkCrossFields.js";
import { parseSnapshot } from "../snapshot/parseSnapshot.js";
import { type PositionData, snapshotSchema } from "../snapshot/schema.js";
import type { Snapshot } from "../snapshot/snapshot.js";
import {
  changedDocument,
  headerOf,
  isPlainObject,
  positionKeyOf,
  positionKeyText,
  type SnapshotChanges,
} from "../snapshot/snapshotChanges.js";
import { validatePosition } from "../snapshot/validatePositions.js";
import { snapshotErrorFromZod } from "../snapshot/zodIssue.js";
import type { Book, BookPositions } from "./book.js";
import { accountColumn, compareAccountsAt } from "./bookAccounts.js";
import { buildLiquidationIndex } from "./buildLiquidationIndex.js";
import { compileAssets } from "./compileAssets.js";
import {
  compileBookWithOrder,
  compileMarkets,
  type PositionsDraft,
  positionTermsOf,
  sortMarkets,
} from "./compileBook.js";
import { compileOracles } from "./compileOracles.js";
import { keepsShape, overwritePositions } from "./overwritePositions.js";
import { canUpdateIndex, updateLiquidationIndex } from "./updateLiquidationIndex.js";
import {
  entryTables,
  KEEP,
  type PositionInsert,
  type PositionStorage,
  RECOMPILE,
  REMOVE,
  storageOf,
  updatePositions,
} from "./updatePositions.js";

export interface CompiledSnapshot {
  /** Positions in book order. */
  readonly snapshot: Snapshot;
  readonly book: Book;
  /** The arrays this book's positions live in, when an update wrote them (with room to spare). */
  readonly storage?: PositionStorage | undefined;
  /** Arrays free for the next update to write into (the book before this one's). */
  readonly spare?: PositionStorage | undefined;
}

/** How a change was applied: in place, or by compiling the changed snapshot from scratch (and why). */
export type ChangeMode = "incremental" | "rebuild:structure" | "rebuild:size";

export interface AppliedChanges {
  readonly compiled: CompiledSnapshot;
  readonly mode: ChangeMode;
  /**
   * True when the block only replaced positions with positions of the same shape and the book
   * given was written in place (`overwritePositions`); false when new arrays were written.
   */
  readonly inPlace: boolean;
}

export interface ApplyOptions {
  /** Compile from scratch when more than this share of the positions changed (default 0.25). */
  readonly rebuildShare?: number;
}

/** Compiles a snapshot validated by `parseSnapshot`; its positions are put in book order. */
export function compileSnapshot(snapshot: Snapshot): CompiledSnapshot {
  const { book, order } = compileBookWithOrder(snapshot);
  // Filled with push: `new Array(n)` of a million is a slow dictionary in V8.
  const positions: PositionData[] = [];
  for (let i = 0; i < order.length; i++) positions.push(snapshot.positions[order[i]!]!);
  return { snapshot: { ...snapshot, positions }, book };
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** First index in `lo .. hi - 1` whose value is not below `value` (`hi` when none). */
function lowerBound(lo: number, hi: number, below: (i: number) => boolean): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (below(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where (market, account) is or would go among the book's positions. */
function locate(positions: BookPositions, market: number, account: string): { at: number; found: boolean } {
  const start = lowerBound(0, positions.count, (i) => positions.market[i]! < market);
  const end = lowerBound(start, positions.count, (i) => positions.market[i]! <= market);
  const key = accountColumn(account);
  const accounts = positions.accounts;
  const at = lowerBound(start, end, (i) => compareAccountsAt(accounts, i, key, 0) < 0);
  return { at, found: at < end && compareAccountsAt(accounts, at, key, 0) === 0 };
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/** A change to one position, at its index in the changed document. */
interface Placed {
  readonly docIndex: number;
  readonly value: unknown;
  /** The old book position it replaces, or -1 when it is new. */
  readonly replaces: number;
}

/**
 * Consumes `current` when it succeeds: a same-shape block writes its book and its snapshot's
 * positions array in place, any other block leaves them to be overwritten by a later update, so
 * keep only the result and read nothing of `current` while this runs (the daemon updates its held
 * book between cycles only). On a SnapshotError nothing has changed.
 * @throws SnapshotError as `parseSnapshot(changedDocument(current.snapshot, changes))` would.
 */
export function applySnapshotChanges(
  current: CompiledSnapshot,
  changes: SnapshotChanges,
  options: ApplyOptions = {},
): AppliedChanges {
  const rebuildFromDocument = (): AppliedChanges => ({
    compiled: compileSnapshot(parseSnapshot(changedDocument(current.snapshot, changes))),
    mode: "rebuild:structure",
    inPlace: false,
  });
  if (changes.header !== undefined && !isPlainObject(changes.header)) return rebuildFromDocument();
  const old = current.book;
  const oldPositions = old.positions;
  const count = oldPositions.count;

  // The header, as parseSnapshot checks it: every field but the positions through zod.
  let header = headerOf(current.snapshot);
  if (changes.header !== undefined) {
    const parsed = snapshotSchema.safeParse({ ...(changes.header as object), positions: [] });
    if (!parsed.success) throw snapshotErrorFromZod(parsed.error);
    header = headerOf(parsed.data);
  }
  const sortedMarkets = sortMarkets(header.markets);
  const marketIds = sortedMarkets.map((m) => m.id);
  const assetIds = header.assets.map((a) => a.id);
  const oracleIds = [...new Set([...Object.keys(header.oracles), ...assetIds])].sort(byString);
  const structureKept =
    sameIds(marketIds, old.markets.ids) &&
    sameIds([...assetIds].sort(byString), old.assets.ids) &&
    sameIds(oracleIds, old.oracles.ids);
  const marketIndex = new Map(marketIds.map((id, m) => [id, m] as const));

  // Where each change lands in the changed document: closed positions leave, an upsert
  // replaces its key's position in place or is appended.
  const action = new Uint8Array(count);
  let removed = 0;
  const removedList: number[] = [];
  for (const key of changes.closed ?? []) {
    const m = marketIndex.get(key.market);
    if (m === undefined || m >= old.markets.count || old.markets.ids[m] !== key.market) continue;
    const { at, found } = locate(oldPositions, m, key.account);
    if (found && action[at] !== REMOVE) {
      action[at] = REMOVE;
      removedList.push(at);
      removed++;
    }
  }
  removedList.sort((a, b) => a - b);
  /** Index in the changed document of old position `b` (not removed). */
  const docIndexOf = (b: number): number => b - lowerBound(0, removedList.length, (k) => removedList[k]! < b);
  const replaced = new Map<number, Placed>();
  const appended: Placed[] = [];
  const appendedAt = new Map<string, number>();
  for (const value of changes.upserts ?? []) {
    const key = positionKeyOf(value);
    if (key !== undefined && structureKept) {
      const m = marketIndex.get(key.market);
      if (m !== undefined) {
        const { at, found } = locate(oldPositions, m, key.account);
        if (found && action[at] !== REMOVE) {
          replaced.set(at, { docIndex: docIndexOf(at), value, replaces: at });
          continue;
        }
      }
    }
    const text = key === undefined ? undefined : positionKeyText(key);
    const earlier = text === undefined ? undefined : appendedAt.get(text);
    const placed = { docIndex: count - removed + (earlier ?? appended.length), value, replaces: -1 };
    if (earlier !== undefined) appended[earlier] = placed;
    else {
      if (text !== undefined) appendedAt.set(text, appended.length);
      appended.push(placed);
    }
  }
  if (!structureKept) return rebuildFromDocument();

  // Field checks of the changed positions, in document order (the others passed them before).
  const placed = [...replaced.values(), ...appended].sort((a, b) => a.docIndex - b.docIndex);
  const checked = new Map<Placed, PositionData>();
  for (const p of placed) {
    const position = validatePosition(p.value, p.docIndex);
    if (position instanceof SnapshotError) throw position;
    checked.set(p, position);
  }
  // Cross-field rules: the header's, then those of the positions that changed or whose market did.
  const context = checkHeaderCrossFields(header);
  if (context instanceof SnapshotError) throw context;
  // Only a market whose position terms changed recompiles (and re-checks) its positions.
  const oldMarkets = new Map(current.snapshot.markets.map((market) => [market.id, market] as const));
  const marketChanged = sortedMarkets.map((market) => {
    const before = oldMarkets.get(market.id);
    return before === undefined || positionTermsOf(market) !== positionTermsOf(before);
  });
  const recheck: Array<{ docIndex: number; position: PositionData }> = [];
  for (const p of placed) recheck.push({ docIndex: p.docIndex, position: checked.get(p)! });
  let inChangedMarkets = 0;
  const anyMarketChanged = marketChanged.includes(true);
  for (let b = 0; anyMarketChanged && b < count; b++) {
    if (!marketChanged[oldPositions.market[b]!] || action[b] === REMOVE) continue;
    inChangedMarkets++;
    if (replaced.has(b)) continue;
    recheck.push({ docIndex: docIndexOf(b), position: current.snapshot.positions[b]! });
  }
  recheck.sort((a, b) => a.docIndex - b.docIndex);
  for (const { docIndex, position } of recheck) {
    const error = checkPositionFits(position, docIndex, context);
    if (error !== undefined) throw error;
  }

  // Valid: compile. Most of the book changed (a full re-read): from scratch is cheaper.
  const changedCount = removed + placed.length + inChangedMarkets;
  if (changedCount > (options.rebuildShare ?? 0.25) * count) {
    const positions = current.snapshot.positions.filter((_, b) => action[b] !== REMOVE);
    for (const p of placed) positions[p.docIndex] = checked.get(p)!;
    return { compiled: compileSnapshot({ ...header, positions }), mode: "rebuild:size", inPlace: false };
  }
  const replacedData = new Map<number, PositionData>();
  for (const [b, p] of replaced) replacedData.set(b, checked.get(p)!);
  const snapshotHeader = { ...header, positions: [] };
  const assets = compileAssets(snapshotHeader);
  const oracles = compileOracles(snapshotHeader, assets);
  const markets = compileMarkets(sortedMarkets, assets, takenAtSecondsOf(header.source.takenAt));
  const reportsKept =
    oracles.count === old.oracles.count &&
    oracles.reportedUsd.every((r, o) => r === old.oracles.reportedUsd[o]);
  const indexUpdatable = reportsKept && canUpdateIndex(count, count - removed + appended.length);

  // Only balances moved: write the replaced positions over their own rows.
  if (
    removed === 0 &&
    appended.length === 0 &&
    !anyMarketChanged &&
    [...replacedData].every(([b, p]) => keepsShape(oldPositions, b, p, assets))
  ) {
    const positions = oldPositions as PositionsDraft;
    const data = current.snapshot.positions as PositionData[];
    const { indexKept } = overwritePositions(
      positions,
      data,
      replacedData,
      assets,
      entryTables(sortedMarkets, assets, oracles),
      old.index,
      indexUpdatable ? oracles.reportedUsd : undefined,
    );
    const index = indexKept
      ? old.index
      : buildLiquidationIndex(positions, oracles.reportedUsd, oracles.count);
    return {
      compiled: {
        snapshot: { ...header, positions: data },
        book: { assets, oracles, markets, positions, index },
        storage: current.storage,
        spare: current.spare,
      },
      mode: "incremental",
      inPlace: true,
    };
  }

  for (const b of replaced.keys()) action[b] = RECOMPILE;
  const touched = [...removedList, ...replaced.keys()];
  for (let b = 0; anyMarketChanged && b < count; b++)
    if (action[b] === KEEP && marketChanged[oldPositions.market[b]!]) {
      action[b] = RECOMPILE;
      touched.push(b);
    }
  const inserts: PositionInsert[] = appended.map((p) => {
    const position = checked.get(p)!;
    const market = marketIndex.get(position.market)!;
    return { before: locate(oldPositions, market, position.account).at, market, data: position };
  });
  inserts.sort(
    (a, b) => a.before - b.before || a.market - b.market || byString(a.data.account, b.data.account),
  );

  const updated = updatePositions(
    oldPositions,
    {
      action,
      touched: Int32Array.from(touched).sort(),
      data: current.snapshot.positions,
      replaced: replacedData,
      inserts,
    },
    assets,
    oracles,
    sortedMarkets,
    current.spare,
  );
  const index = indexUpdatable
    ? updateLiquidationIndex(
        old.index,
        oldPositions,
        updated.positions,
        updated.oldToNew,
        updated.compiled,
        oracles.reportedUsd,
        oracles.count,
        updated.storage,
      )
    : buildLiquidationIndex(updated.positions, oracles.reportedUsd, oracles.count);
  return {
    compiled: {
      snapshot: { ...header, positions: updated.data },
      book: { assets, oracles, markets, positions: updated.positions, index },
      storage: updated.storage,
      spare: current.storage ?? storageOf(old, current.snapshot.positions),
    },
    mode: "incremental",
    inPlace: false,
  };
}
