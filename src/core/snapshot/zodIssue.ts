/** Turns the first zod issue into a `SnapshotError` whose path names the bad field. */
import type { z } from "zod";
import { SnapshotError } from "../errors.js";
import { formatPath } from "./schema.js";

type Key = string | number;

export function snapshotErrorFromZod(error: z.ZodError, prefix: ReadonlyArray<Key> = []): SnapshotError {
  const issue = error.issues[0];
  if (issue === undefined) return new SnapshotError(formatPath(prefix), "invalid");
  const path: Key[] = [...prefix, ...issue.path.map((k) => (typeof k === "number" ? k : String(k)))];
  if (issue.code === "unrecognized_keys") {
    // Name the misspelt key itself, so the user sees which field to fix.
    return new SnapshotError(formatPath([...path, issue.keys[0] ?? ""]), "unknown field");
  }
  if (issue.code === "invalid_key") {
    const inner = issue.issues[0];
    return new SnapshotError(formatPath(path), `invalid key: ${inner?.message ?? issue.message}`);
  }
  if (issue.code === "invalid_type") {
    // zod 4 does not keep the input; its default message ends with what it received.
    if (issue.message.endsWith("received undefined")) return new SnapshotError(formatPath(path), "missing");
    if (issue.expected === "object" || issue.expected === "record") {
      return new SnapshotError(formatPath(path), "not an object");
    }
    if (issue.expected === "array") return new SnapshotError(formatPath(path), "not an array");
  }
  return new SnapshotError(formatPath(path), issue.message);
}
