/**
 * The single-process monitor's compiled book, kept from block to block: each sync's changes are
 * applied to it (`applySnapshotChanges`, which validates only what changed) instead of parsing
 * and compiling the whole snapshot again.
 *
 * A sync hands over either its changes (the indexer source does: the positions its chains re-read
 * and found changed, see `ChainSync.drainChanges`) or its whole document; from a document the
 * changes are derived by object identity against the last document accepted
 * (`diffSnapshotDocuments`), the fallback for a source that does not know them. The whole document is parsed and compiled from scratch on
 * the first sync, after a change was refused (a source's changes then no longer describe the book
 * held), and whenever the changes cannot be derived; a full re-read of the chain (every position
 * a new object) compiles from scratch too (`rebuild:size`).
 */
import type { Book } from "../../core/book/book.js";
import {
  applySnapshotChanges,
  type ChangeMode,
  type CompiledSnapshot,
  compileSnapshot,
} from "../../core/book/compiledSnapshot.js";
import { SnapshotError, TransientError } from "../../core/errors.js";
import { diffSnapshotDocuments } from "../../core/snapshot/diffSnapshotDocuments.js";
import { parseSnapshot } from "../../core/snapshot/parseSnapshot.js";
import type { Snapshot } from "../../core/snapshot/snapshot.js";
import type { SnapshotChanges } from "../../core/snapshot/snapshotChanges.js";
import type { SyncedBook } from "./daemonPorts.js";

/** How the held book was brought up to date: compiled whole, or as `applySnapshotChanges` says. */
export type HeldBookMode = "compile" | ChangeMode;

export interface HeldBookUpdate {
  /**
   * The snapshot, positions in book order. Its positions array is a copy the holder never
   * writes again (the book's own is reused by later updates), so it may be kept past the cycle.
   */
  readonly snapshot: Snapshot;
  /** The compiled book of `snapshot`; valid until the next `accept`. */
  readonly book: Book;
  readonly mode: HeldBookMode;
  /**
   * What was applied to the book of the previous `accept` to get this one (absent when compiled
   * whole): another holder of that book (a worker thread) applies the same and holds this one.
   */
  readonly changes?: SnapshotChanges | undefined;
}

export interface HeldBook {
  /** True when the next sync must hand over its whole document (no book held, or one refused). */
  readonly wantsWhole: boolean;
  /**
   * Brings the book up to `synced`.
   * @throws SnapshotError as `parseSnapshot` of the changed document would; the book held stays
   * as it was, and a source of changes is asked for its whole document next.
   */
  accept(synced: SyncedBook): HeldBookUpdate;
}

export function createHeldBook(): HeldBook {
  let current: CompiledSnapshot | undefined;
  /** The last document accepted (unvalidated), what the next document is compared with. */
  let document: unknown;
  let wantWhole = true;

  const compileWhole = (whole: unknown): HeldBookMode => {
    current = undefined; // the old book is garbage before the new one is built
    current = compileSnapshot(parseSnapshot(whole));
    return "compile";
  };

  /** Applies `changes` to `held` (which it consumes on success). */
  const apply = (held: CompiledSnapshot, changes: SnapshotChanges): HeldBookMode => {
    const applied = applySnapshotChanges(held, changes);
    current = applied.compiled;
    return applied.mode;
  };

  /** The changes last applied; undefined when the book was compiled whole. */
  let applied: SnapshotChanges | undefined;

  function update(synced: SyncedBook): HeldBookMode {
    applied = undefined;
    if (synced.kind === "changes") {
      if (current === undefined || wantWhole)
        throw new TransientError(
          "the snapshot source handed over changes where its whole document was asked",
        );
      document = undefined;
      applied = synced.changes;
      return apply(current, synced.changes);
    }
    const changes =
      current === undefined || document === undefined
        ? undefined
        : diffSnapshotDocuments(document, synced.document);
    let mode: HeldBookMode;
    if (current === undefined || changes === undefined) mode = compileWhole(synced.document);
    else {
      try {
        mode = apply(current, changes);
        applied = changes;
      } catch (error) {
        if (!(error instanceof SnapshotError)) throw error;
        // Refused: the whole parse names the bad field by its path in the document handed over
        // (the changed document orders its positions otherwise); the book held is left as it was.
        const parsed = parseSnapshot(synced.document);
        current = undefined;
        current = compileSnapshot(parsed);
        mode = "compile";
      }
      const listed = (synced.document as { positions: readonly unknown[] }).positions.length;
      // Fewer positions than listed: two of one key collapsed; the whole parse names the duplicate.
      if (current.snapshot.positions.length !== listed) mode = compileWhole(synced.document);
    }
    document = synced.document;
    return mode;
  }

  return {
    get wantsWhole() {
      return current === undefined || wantWhole;
    },
    accept(synced) {
      try {
        const mode = update(synced);
        wantWhole = false;
        const held = current!;
        return {
          snapshot: { ...held.snapshot, positions: held.snapshot.positions.slice() },
          book: held.book,
          mode,
          ...(mode === "compile" ? {} : { changes: applied }),
        };
      } catch (error) {
        // A refused change leaves the book as it was; anything else may have consumed it.
        if (!(error instanceof SnapshotError)) {
          current = undefined;
          document = undefined;
        }
        // Changes after a refused one describe a book never reached: start again from a whole one.
        if (synced.kind === "changes") wantWhole = true;
        throw error;
      }
    },
  };
}
