/**
 * The fast path of a block that only moved balances: positions replaced by positions of the same
 * shape (same market and account, same eMode, the same assets in the same entry slots) are
 * written over their own rows, and only their members of the liquidation index move. The work is
 * proportional to the positions replaced (and the groups they move in), not to the book.
 *
 * It writes the book it is given: whoever holds that book must not read it while it is updated,
 * nor expect it unchanged afterwards (the held book is updated between cycles only).
 */
import type { PositionData } from "../snapshot/schema.js";
import type { BookAssets, BookPositions, LiquidationIndex } from "./book.js";
import { healthOfSteps, healthSteps, positionHealth } from "./buildLiquidationIndex.js";
import type { EntryTable, PositionsDraft } from "./compileBook.js";
import { bookEmode, countKeys, writePositionEntries } from "./updatePositions.js";

/** Whether `amounts` names exactly the assets `asset[from .. to - 1]` (entries hold distinct assets). */
function sameAssets(
  amounts: Readonly<Record<string, number>>,
  assets: BookAssets,
  asset: Int32Array,
  from: number,
  to: number,
): boolean {
  if (countKeys(amounts) !== to - from) return false;
  for (const id in amounts) {
    const a = assets.indexOf.get(id) ?? -1;
    let k = from;
    while (k < to && asset[k] !== a) k++;
    if (k === to) return false;
  }
  return true;
}

/**
 * Whether `p` can be written over position `b`'s rows: the same eMode and the same collateral
 * and debt assets, so its entries fill the same slots (sorted by asset index) with the same oracles.
 */
export function keepsShape(
  positions: BookPositions,
  b: number,
  p: PositionData,
  assets: BookAssets,
): boolean {
  return (
    bookEmode(p, positions.protocol[b]!) === positions.emode[b] &&
    sameAssets(
      p.collateral,
      assets,
      positions.collAsset,
      positions.collStart[b]!,
      positions.collStart[b + 1]!,
    ) &&
    sameAssets(p.debt, assets, positions.debtAsset, positions.debtStart[b]!, positions.debtStart[b + 1]!)
  );
}

/** Index `lo .. hi - 1` of the first member not ordered before (`health`, `position`). */
function slotOf(index: LiquidationIndex, lo: number, hi: number, health: number, position: number): number {
  const { positions, healthFactor0 } = index;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const h = healthFactor0[mid]!;
    if (h < health || (h === health && positions[mid]! < position)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Moves member `position` of group `g` from health `before` to `after` (both whole 1/4096 steps),
 * keeping the group sorted by health, then index. False when it is not found where its health says.
 */
function moveMember(
  index: LiquidationIndex,
  g: number,
  position: number,
  before: number,
  after: number,
): boolean {
  const { groupStart, positions, healthFactor0 } = index;
  const start = groupStart[g]!;
  const end = groupStart[g + 1]!;
  const from = slotOf(index, start, end, before, position);
  if (from >= end || positions[from] !== position) return false;
  if (after === before) return true;
  let to: number;
  if (after > before) {
    // Members after it, up to its new place, shift one slot down.
    to = slotOf(index, from + 1, end, after, position) - 1;
    positions.copyWithin(from, from + 1, to + 1);
    healthFactor0.copyWithin(from, from + 1, to + 1);
  } else {
    to = slotOf(index, start, from, after, position);
    positions.copyWithin(to + 1, to, from);
    healthFactor0.copyWithin(to + 1, to, from);
  }
  positions[to] = position;
  healthFactor0[to] = after;
  return true;
}

export interface OverwriteResult {
  /** False when some position entered or left the index (it has debt now, or no more): build it again. */
  readonly indexKept: boolean;
}

/**
 * Writes each replaced position (`replaced`: old index -> data, every one `keepsShape`) over its
 * rows in `positions`, and its data into `data`. With `reportUsd` (the book's oracle reports,
 * unchanged by the block, and at most `INDEX_LIMIT` positions) the index members of the replaced
 * positions move to their new health; else the index is left for the caller to build again.
 */
export function overwritePositions(
  positions: PositionsDraft,
  data: PositionData[],
  replaced: ReadonlyMap<number, PositionData>,
  assets: BookAssets,
  tableFor: (m: number, emode: number) => EntryTable,
  index: LiquidationIndex,
  reportUsd: Float64Array | undefined,
): OverwriteResult {
  let indexKept = reportUsd !== undefined;
  for (const [b, p] of replaced) {
    const before = indexKept ? positionHealth(positions, b, reportUsd!) : Number.NaN;
    writePositionEntries(
      positions,
      positions.collStart[b]!,
      positions.debtStart[b]!,
      p,
      tableFor(positions.market[b]!, positions.emode[b]!),
      assets,
    );
    data[b] = p;
    if (!indexKept) continue;
    const after = positionHealth(positions, b, reportUsd!);
    const g = index.groupOf[b]!;
    if (Number.isNaN(after) !== Number.isNaN(before) || g < 0 !== Number.isNaN(before)) {
      indexKept = false;
      continue;
    }
    if (g >= 0)
      indexKept = moveMember(
        index,
        g,
        b,
        healthOfSteps(healthSteps(before)),
        healthOfSteps(healthSteps(after)),
      );
  }
  return { indexKept };
}
