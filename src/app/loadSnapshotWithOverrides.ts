/** Use case: read and validate a snapshot file, then apply `--override` texts to it. */
import { compileBook } from "../core/book/compileBook.js";
import type { Snapshot } from "../core/snapshot/snapshot.js";
import { applyOverrideTexts } from "./applyOverrideTexts.js";
import { type LoadedBook, loadBookFile, loadSnapshotFile } from "./loadSnapshotFile.js";

/** @throws UserInputError naming the file, or the override that is malformed or unknown. */
export async function loadSnapshotWithOverrides(
  path: string,
  overrideTexts: readonly string[] = [],
): Promise<Snapshot> {
  return applyOverrideTexts(await loadSnapshotFile(path), overrideTexts);
}

/**
 * The snapshot with `--override` texts applied, and its compiled book. Without overrides an Arrow
 * file's book is compiled from its columns; with some, from the changed snapshot.
 * @throws UserInputError as `loadSnapshotWithOverrides`.
 */
export async function loadBookWithOverrides(
  path: string,
  overrideTexts: readonly string[] = [],
): Promise<LoadedBook> {
  if (overrideTexts.length === 0) return loadBookFile(path);
  const snapshot = await loadSnapshotWithOverrides(path, overrideTexts);
  return { snapshot, book: compileBook(snapshot) };
}
