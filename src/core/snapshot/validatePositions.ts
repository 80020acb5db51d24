/**
 * Field checks of `positions[]` without zod on the happy path: a million zod parses cost
 * seconds and a second copy of every position. A hand-written loop accepts exactly what
 * `positionSchema` accepts; on the first position it rejects, zod parses that one position
 * so the error message is the schema's own.
 */
import { SnapshotError } from "../errors.js";
import { type PositionData, positionSchema } from "./schema.js";
import { snapshotErrorFromZod } from "./zodIssue.js";

/** Keys the fast loop accepts; any other (a misspelling, or an Aave V4 `dynamicConfig`) takes the zod path. */
const POSITION_KEYS = new Set(["market", "account", "collateral", "debt", "emode"]);

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isAmountRecord(value: unknown): boolean {
  if (!isPlainRecord(value)) return false;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const amount = value[key];
    if (key === "" || typeof amount !== "number" || !Number.isFinite(amount) || amount < 0) return false;
  }
  return true;
}

function isValidPosition(value: unknown): value is PositionData {
  if (!isPlainRecord(value)) return false;
  for (const key in value) if (Object.hasOwn(value, key) && !POSITION_KEYS.has(key)) return false;
  const { market, account, emode } = value;
  if (typeof market !== "string" || market === "" || typeof account !== "string" || account === "") {
    return false;
  }
  if (!isAmountRecord(value.collateral) || !isAmountRecord(value.debt)) return false;
  if (emode !== undefined && (typeof emode !== "number" || !Number.isSafeInteger(emode) || emode < 0)) {
    return false;
  }
  return true;
}

/**
 * Checks the own fields of the position at `positions[index]`: the same object when valid,
 * zod's parse of it should the fast check and zod ever differ, or the error naming the first bad field.
 */
export function validatePosition(value: unknown, index: number): PositionData | SnapshotError {
  if (isValidPosition(value)) return value;
  const parsed = positionSchema.safeParse(value);
  if (!parsed.success) return snapshotErrorFromZod(parsed.error, ["positions", index]);
  return parsed.data;
}

/**
 * Checks every position's own fields. Returns the same objects (no copy: the position
 * schema has no defaults to apply), or the error naming the first bad field.
 */
export function validatePositions(positions: readonly unknown[]): PositionData[] | SnapshotError {
  let out = positions as PositionData[];
  for (let i = 0; i < positions.length; i++) {
    if (isValidPosition(positions[i])) continue;
    const checked = validatePosition(positions[i], i);
    if (checked instanceof SnapshotError) return checked;
    // The loop is meant to accept exactly what zod accepts; should they ever differ, zod wins.
    if (out === positions) out = positions.slice() as PositionData[];
    out[i] = checked;
  }
  return out;
}
