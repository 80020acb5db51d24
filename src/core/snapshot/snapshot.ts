/**
 * A validated `cascade-snapshot/1`: every field checked, every cross-field rule holds,
 * defaults applied. Only `parseSnapshot` produces one; treat it as immutable.
 */
import type { SnapshotData } from "./schema.js";

export type Snapshot = SnapshotData;
