/**
 * What a block changed, derived from two snapshot documents that share their unchanged position
 * objects (a sync keeps the object of every position it did not read again): the new document's
 * header, the positions that are new objects (upserts) and the keys that left (closed).
 *
 * Cost: one pass over each document's positions by object identity, no field comparison, so a
 * million positions cost a few tens of milliseconds. A re-read position that did not change is a
 * new object and so an upsert: harmless, only slower. `changedDocument(previous, changes)` holds
 * the same positions as `next` (in another order where a position was replaced).
 */
import { isPlainObject, positionKeyOf, positionKeyText, type SnapshotChanges } from "./snapshotChanges.js";

/**
 * The changes from `previous` to `next`, or undefined when `next` cannot be described that way
 * (not an object with a positions array, one position object listed twice, two new objects of
 * one key): parse it whole then, which reports what is wrong with it. A new object whose key a
 * kept position also has is not caught here (that would need every key): the changed document
 * then has fewer positions than `next`, which the caller checks.
 */
export function diffSnapshotDocuments(previous: unknown, next: unknown): SnapshotChanges | undefined {
  const before = positionsOf(previous);
  const after = positionsOf(next);
  if (before === undefined || after === undefined || !isPlainObject(next)) return undefined;
  /** Per previous position object: whether `next` still lists it. */
  const kept = new Map<unknown, boolean>();
  for (const position of before) kept.set(position, false);
  const upserts: unknown[] = [];
  const upserted = new Set<string>();
  for (const position of after) {
    const seen = kept.get(position);
    if (seen === true) return undefined;
    if (seen === false) {
      kept.set(position, true);
      continue;
    }
    upserts.push(position);
    const key = positionKeyOf(position);
    if (key === undefined) continue;
    const text = positionKeyText(key);
    // Two new objects of one key: a duplicate the whole parse names.
    if (upserted.has(text)) return undefined;
    upserted.add(text);
  }
  const closed: Array<{ market: string; account: string }> = [];
  for (const [position, stays] of kept) {
    if (stays) continue;
    const key = positionKeyOf(position);
    // A key an upsert names again is replaced, not closed.
    if (key !== undefined && !upserted.has(positionKeyText(key))) closed.push(key);
  }
  const { positions: _, ...header } = next;
  return { header, upserts, closed };
}

function positionsOf(document: unknown): readonly unknown[] | undefined {
  if (!isPlainObject(document)) return undefined;
  const positions = document.positions;
  return Array.isArray(positions) ? positions : undefined;
}
