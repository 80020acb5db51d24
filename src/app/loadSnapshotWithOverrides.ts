/** Use case: read and validate a snapshot file, then apply `--override` texts to it. */
import type { Snapshot } from "../core/snapshot/snapshot.js";
import { applyOverrideTexts } from "./applyOverrideTexts.js";
import { loadSnapshotFile } from "./loadSnapshotFile.js";

/** @throws UserInputError naming the file, or the override that is malformed or unknown. */
export async function loadSnapshotWithOverrides(
  path: string,
  overrideTexts: readonly string[] = [],
): Promise<Snapshot> {
  return applyOverrideTexts(await loadSnapshotFile(path), overrideTexts);
}
