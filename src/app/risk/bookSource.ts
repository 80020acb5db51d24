/**
 * Where a worker thread gets the book of an analysis: a snapshot file it reads itself (no
 * copy of a large snapshot between threads) or a snapshot object; then `overrides` applied
 * (the what-if of a parameter recommendation). `key` names the result: a thread that already
 * holds the book of that key does not load it again.
 */
import type { Snapshot } from "../../core/snapshot/snapshot.js";
import { applyOverrideTexts } from "../applyOverrideTexts.js";
import { loadSnapshotFile } from "../loadSnapshotFile.js";

export type BookSource =
  | {
      readonly kind: "file";
      readonly path: string;
      readonly overrides: readonly string[];
      readonly key: string;
    }
  | {
      readonly kind: "snapshot";
      readonly snapshot: Snapshot;
      readonly overrides: readonly string[];
      readonly key: string;
    };

export async function loadBookSource(source: BookSource): Promise<Snapshot> {
  const snapshot = source.kind === "file" ? await loadSnapshotFile(source.path) : source.snapshot;
  return applyOverrideTexts(snapshot, source.overrides);
}

/** The same source with more overrides (a distinct key). */
export function withOverrides(source: BookSource, overrides: readonly string[]): BookSource {
  const all = [...source.overrides, ...overrides];
  return { ...source, overrides: all, key: `${source.key}|${all.join("|")}` };
}
