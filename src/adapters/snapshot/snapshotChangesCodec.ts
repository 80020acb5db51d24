/**
 * One block's `SnapshotChanges` as bytes, for the distributed pipeline's workers: UTF-8 JSON.
 *
 * Why JSON and not Arrow: a block's changes are a header and about a hundred positions (tens of
 * kilobytes), which JSON encodes and parses in well under a millisecond; Arrow pays off on
 * columns of a million rows (the keyframes), not on a hundred. And the changes are the
 * unvalidated input `applySnapshotChanges` takes (it validates them again, as it must), so the
 * bytes carry them as they are, with no schema of their own to keep in step.
 */
import { FatalError } from "../../core/errors.js";
import { isPlainObject, type SnapshotChanges } from "../../core/snapshot/snapshotChanges.js";

export function encodeSnapshotChanges(changes: SnapshotChanges): Uint8Array {
  return Buffer.from(JSON.stringify(changes), "utf8");
}

/** @throws FatalError when the bytes are not changes this codec wrote. */
export function decodeSnapshotChanges(bytes: Uint8Array): SnapshotChanges {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8"));
  } catch (error) {
    throw new FatalError("stored book changes are not JSON: the Redis value was not written by a sync", {
      cause: error,
    });
  }
  const fields = isPlainObject(value) ? value : undefined;
  if (
    fields === undefined ||
    (fields.upserts !== undefined && !Array.isArray(fields.upserts)) ||
    (fields.closed !== undefined && !Array.isArray(fields.closed))
  )
    throw new FatalError(
      "stored book changes are not { header?, upserts?: [], closed?: [] }: the Redis value was not written by a sync",
    );
  return fields as SnapshotChanges;
}
