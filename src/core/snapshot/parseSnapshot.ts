/**
 * Parses and validates a `cascade-snapshot/1` document (already JSON-decoded).
 *
 * Order of checks, and so what "the first bad field" means: the top-level fields, `source`,
 * `assets` and `markets` (zod, in document order), then `positions` field by field, then the
 * cross-field rules (assets, markets, positions). Nothing is simulated from a half-valid snapshot.
 */
import { SnapshotError } from "../errors.js";
import { checkCrossFields } from "./checkCrossFields.js";
import { snapshotSchema } from "./schema.js";
import type { Snapshot } from "./snapshot.js";
import { validatePositions } from "./validatePositions.js";
import { snapshotErrorFromZod } from "./zodIssue.js";

/** @throws SnapshotError naming the path of the first bad field, e.g. `positions[812].debt.USDC: not a number`. */
export function parseSnapshot(input: unknown): Snapshot {
  const isObject = typeof input === "object" && input !== null && !Array.isArray(input);
  const positions = isObject ? (input as { positions?: unknown }).positions : undefined;
  if (!isObject || !Array.isArray(positions)) {
    // Malformed at the top: zod's full parse names the problem.
    const parsed = snapshotSchema.safeParse(input);
    if (!parsed.success) throw snapshotErrorFromZod(parsed.error);
    throw new SnapshotError("positions", "not an array");
  }
  // Everything but the positions goes through zod (small); positions take the fast loop.
  const header = snapshotSchema.safeParse({ ...(input as object), positions: [] });
  if (!header.success) throw snapshotErrorFromZod(header.error);
  const checked = validatePositions(positions);
  if (checked instanceof SnapshotError) throw checked;
  const snapshot: Snapshot = { ...header.data, positions: checked };
  const crossError = checkCrossFields(snapshot);
  if (crossError !== undefined) throw crossError;
  return snapshot;
}
