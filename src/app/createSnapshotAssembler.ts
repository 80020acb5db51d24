/**
 * Builds a sync's snapshot block after block by patching the previous one: the positions kept
 * (in report order, by key), the positions left out and the assets the kept ones name are held
 * between calls, and only the positions a block changed are placed again. The frame (markets,
 * oracles, prices, assets) is built whole every time: it does not grow with the positions.
 *
 * The document equals `buildSnapshotWithOmissions` of the same inputs, byte for byte when
 * serialized: both end in `completeSnapshot`. Every position is classified again when the frame
 * keeps or leaves out other positions than before (`inclusionKey`), or when the changes are not
 * known. Also returns the changes from the previous document, as `applySnapshotChanges` takes them.
 */
import { FatalError } from "../core/errors.js";
import type { PositionData } from "../core/snapshot/schema.js";
import { type PositionKey, positionKeyText, type SnapshotChanges } from "../core/snapshot/snapshotChanges.js";
import {
  assetsNamedBy,
  type BuiltSnapshot,
  comparePositions,
  completeSnapshot,
  frameSnapshot,
  type SnapshotFrameInput,
} from "./buildSnapshot.js";

export interface AssembledSnapshot extends BuiltSnapshot {
  /** From the previous document to this one; undefined for the first. */
  readonly changes: SnapshotChanges | undefined;
  /** True when every position was classified again (first call, frame or changes unknown). */
  readonly whole: boolean;
}

export interface SnapshotAssembler {
  /**
   * @param positions every current position (read only when all are classified again)
   * @param changed positions set (or gone: null) since the previous call, by `positionKeyText`;
   *   undefined when not known
   */
  assemble(
    frame: SnapshotFrameInput,
    positions: () => Iterable<PositionData>,
    changed: ReadonlyMap<string, PositionData | null> | undefined,
  ): AssembledSnapshot;
}

/** Structural changes above this count are merged in one pass rather than spliced one by one. */
const SPLICE_LIMIT = 64;

export function createSnapshotAssembler(): SnapshotAssembler {
  /** Kept positions in report order, and by key. */
  let order: PositionData[] = [];
  let kept = new Map<string, PositionData>();
  let left = new Map<string, PositionData>();
  /** Per asset, how many kept positions name it. */
  let named = new Map<string, number>();
  let inclusionKey: string | undefined;

  const name = (position: PositionData, by: number): void => {
    for (const asset of new Set(assetsNamedBy(position))) {
      const count = (named.get(asset) ?? 0) + by;
      if (count === 0) named.delete(asset);
      else named.set(asset, count);
    }
  };

  /** Classifies every position; the changes are the difference from the previous kept set. */
  const classifyAll = (
    includes: (p: PositionData) => boolean,
    positions: Iterable<PositionData>,
    first: boolean,
  ): SnapshotChanges | undefined => {
    const before = kept;
    kept = new Map();
    left = new Map();
    named = new Map();
    order = [];
    for (const position of positions) {
      const key = positionKeyText(position);
      if (includes(position)) {
        kept.set(key, position);
        order.push(position);
        name(position, 1);
      } else left.set(key, position);
    }
    order.sort(comparePositions);
    if (first) return undefined;
    const upserts = order.filter((p) => before.get(positionKeyText(p)) !== p);
    const closed: PositionKey[] = [];
    for (const [key, p] of before) if (!kept.has(key)) closed.push({ market: p.market, account: p.account });
    return { upserts, closed };
  };

  /** Places the changed positions; returns what the kept set gained and lost. */
  const patch = (
    includes: (p: PositionData) => boolean,
    changed: ReadonlyMap<string, PositionData | null>,
  ): SnapshotChanges => {
    const upserts: PositionData[] = [];
    const closed: PositionKey[] = [];
    const inserted: PositionData[] = [];
    const removed: PositionData[] = [];
    for (const [key, position] of changed) {
      const was = kept.get(key);
      left.delete(key);
      const keep = position !== null && includes(position);
      if (position !== null && !keep) left.set(key, position);
      if (was === position) continue;
      if (was !== undefined) {
        name(was, -1);
        kept.delete(key);
      }
      if (keep) {
        kept.set(key, position);
        name(position, 1);
        upserts.push(position);
        if (was === undefined) inserted.push(position);
        else order[locate(order, was)] = position;
      } else if (was !== undefined) {
        closed.push({ market: was.market, account: was.account });
        removed.push(was);
      }
    }
    if (inserted.length + removed.length <= SPLICE_LIMIT) {
      for (const p of removed) order.splice(locate(order, p), 1);
      for (const p of inserted) order.splice(insertionPoint(order, p), 0, p);
    } else {
      const gone = new Set(removed);
      order = mergeSorted(
        order.filter((p) => !gone.has(p)),
        inserted.sort(comparePositions),
      );
    }
    upserts.sort(comparePositions);
    return { upserts, closed };
  };

  return {
    assemble(input, positions, changed) {
      const frame = frameSnapshot(input);
      const first = inclusionKey === undefined;
      const whole = first || changed === undefined || frame.inclusionKey !== inclusionKey;
      const moved = whole ? classifyAll(frame.includes, positions(), first) : patch(frame.includes, changed);
      inclusionKey = frame.inclusionKey;
      const built = completeSnapshot(frame, order.slice(), named.keys(), [...left.values()]);
      const { positions: _, ...header } = built.snapshot;
      return { ...built, whole, changes: moved === undefined ? undefined : { header, ...moved } };
    },
  };
}

/** Index of `position` (present, by its key) in `order`. */
function locate(order: readonly PositionData[], position: PositionData): number {
  const at = insertionPoint(order, position);
  const found = order[at];
  if (found === undefined || comparePositions(found, position) !== 0)
    throw new FatalError(`snapshot assembler: ${positionKeyText(position)} is not in its place`);
  return at;
}

/** First index whose position does not sort before `position`. */
function insertionPoint(order: readonly PositionData[], position: PositionData): number {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (comparePositions(order[mid]!, position) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function mergeSorted(a: readonly PositionData[], b: readonly PositionData[]): PositionData[] {
  const out: PositionData[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(comparePositions(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}
