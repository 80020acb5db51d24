/**
 * Where a worker thread gets the book of an analysis: a snapshot file it reads itself (no
 * copy of a large snapshot between threads) or a snapshot object; then the what-if: `overrides`
 * applied and, in `keepHealthIn` markets, borrowers keeping their health factor. `key` names
 * the result: a thread that already holds the book of that key does not load it again.
 */
import { keepHealthFactors } from "../../core/risk/keepHealthFactors.js";
import type { Snapshot } from "../../core/snapshot/snapshot.js";
import { applyOverrideTexts } from "../applyOverrideTexts.js";
import { loadSnapshotFile } from "../loadSnapshotFile.js";

interface WhatIf {
  readonly overrides: readonly string[];
  readonly keepHealthIn?: readonly string[];
  readonly key: string;
}

export type BookSource =
  | (WhatIf & { readonly kind: "file"; readonly path: string })
  | (WhatIf & { readonly kind: "snapshot"; readonly snapshot: Snapshot });

export async function loadBookSource(source: BookSource): Promise<Snapshot> {
  const snapshot = source.kind === "file" ? await loadSnapshotFile(source.path) : source.snapshot;
  const changed = applyOverrideTexts(snapshot, source.overrides);
  return keepHealthFactors(snapshot, changed, source.keepHealthIn ?? []);
}

/** The same source with more overrides (a distinct key). */
export function withOverrides(
  source: BookSource,
  overrides: readonly string[],
  keepHealthIn: readonly string[] = [],
): BookSource {
  const all = [...source.overrides, ...overrides];
  const keep = [...(source.keepHealthIn ?? []), ...keepHealthIn];
  return {
    ...source,
    overrides: all,
    keepHealthIn: keep,
    key: `${source.key}|${all.join("|")}|keep:${keep.join(",")}`,
  };
}
