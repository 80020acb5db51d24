/** Use case: apply `--override` texts (`<marketId>:<field>=<value>`) to a validated snapshot. */
import { applyOverrides } from "../core/overrides/applyOverrides.js";
import { parseOverride } from "../core/overrides/parseOverride.js";
import type { Snapshot } from "../core/snapshot/snapshot.js";

/** @throws UserInputError naming the override that is malformed or names an unknown market or field. */
export function applyOverrideTexts(snapshot: Snapshot, texts: readonly string[]): Snapshot {
  if (texts.length === 0) return snapshot;
  return applyOverrides(
    snapshot,
    texts.map((text) => parseOverride(text)),
  );
}
