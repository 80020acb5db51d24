/**
 * What a block changed in a snapshot, and the document those changes describe.
 *
 * The document is defined here once, so that applying changes to a compiled book and parsing the
 * changed document from scratch can be held to the same errors: positions `closed` are removed,
 * then each upsert replaces the position with its (market, account) where there is one (in
 * place) and is appended otherwise; a new header replaces every field but `positions`.
 */
import type { Snapshot } from "./snapshot.js";

/** A position's identity: one position per account and market. */
export interface PositionKey {
  readonly market: string;
  readonly account: string;
}

export interface SnapshotChanges {
  /**
   * The document's fields other than `positions` (schema, source, assets, oracles, markets),
   * unvalidated, when prices, oracles, pools or market parameters changed; absent when unchanged.
   */
  readonly header?: unknown;
  /** New or changed positions, unvalidated. */
  readonly upserts?: readonly unknown[];
  /** Positions that closed (no debt left); a key that names no position is ignored. */
  readonly closed?: readonly PositionKey[];
}

/** The key of a position whose market and account are strings, else undefined (it matches nothing). */
export function positionKeyOf(value: unknown): PositionKey | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { market, account } = value as { market?: unknown; account?: unknown };
  return typeof market === "string" && typeof account === "string" ? { market, account } : undefined;
}

/** One string per key (JSON keeps any two distinct pairs apart). */
export function positionKeyText(key: PositionKey): string {
  return JSON.stringify([key.market, key.account]);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The snapshot's fields other than `positions`. */
export function headerOf(snapshot: Snapshot): Omit<Snapshot, "positions"> {
  const { positions: _, ...header } = snapshot;
  return header;
}

/**
 * The document `changes` make of `snapshot` (not validated). A header that is not an object is
 * the whole document (and so fails to parse as one).
 */
export function changedDocument(snapshot: Snapshot, changes: SnapshotChanges): unknown {
  const header = changes.header === undefined ? headerOf(snapshot) : changes.header;
  const closed = new Set((changes.closed ?? []).map(positionKeyText));
  const positions: unknown[] = [];
  const at = new Map<string, number>();
  for (const position of snapshot.positions) {
    const key = positionKeyText(position);
    if (closed.has(key)) continue;
    at.set(key, positions.length);
    positions.push(position);
  }
  for (const upsert of changes.upserts ?? []) {
    const key = positionKeyOf(upsert);
    const text = key === undefined ? undefined : positionKeyText(key);
    const index = text === undefined ? undefined : at.get(text);
    if (index !== undefined) {
      positions[index] = upsert;
      continue;
    }
    if (text !== undefined) at.set(text, positions.length);
    positions.push(upsert);
  }
  return isPlainObject(header) ? { ...header, positions } : header;
}
