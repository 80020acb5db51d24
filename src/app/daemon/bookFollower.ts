/**
 * A simulate process's side of the distributed book: it holds the compiled book of the cycle it
 * last worked on, and brings it to the version a task asks for from what the sync stored
 * (`bookPublisher`). It walks from that version back through the stored changes (each names
 * the version it applies to) until it reaches the version it holds, then applies them in order
 * (`applySnapshotChanges`, the single-process monitor's code): the usual case is one block's
 * changes onto the previous cycle's book. When the walk cannot reach the book held (none held,
 * a newer one held, a missed version whose changes are gone, or a second keyframe passed) it
 * reads the newest keyframe on the way, compiles it and applies the changes after it. A book is
 * known by its stored id, not only its version number, which repeats after Redis lost its data.
 *
 * Loads run one at a time; the book a load returns is valid until the next load (later loads
 * write into its arrays), but its snapshot's positions array is its own.
 */
import type { RedisPipelineState } from "../../adapters/queue/redisPipelineState.js";
import { readArrowSnapshot } from "../../adapters/snapshot/decodeArrowSnapshot.js";
import { decodeSnapshotChanges } from "../../adapters/snapshot/snapshotChangesCodec.js";
import type { Book } from "../../core/book/book.js";
import {
  applySnapshotChanges,
  type CompiledSnapshot,
  compileSnapshot,
} from "../../core/book/compiledSnapshot.js";
import type { Snapshot } from "../../core/snapshot/snapshot.js";
import { type CycleRuns, createCycleRuns } from "./cycleTasks.js";

/** One cycle's book as a simulate process holds it. */
export interface FollowedBook {
  readonly version: number;
  /** As stored for a keyframe read whole, else in book order. */
  readonly snapshot: Snapshot;
  /** `snapshot.positions[i]` is book position `i` (after changes were applied). */
  readonly inBookOrder: boolean;
  readonly book: Book;
  /** Runs shared by this process's tasks on this book. */
  readonly runs: CycleRuns;
}

/** How a load reached its version: the keyframe compiled (if one was) and the changes applied. */
export interface BookLoad {
  readonly version: number;
  /** The keyframe read and compiled whole, when the book held could not be brought up to date. */
  readonly keyframe?: number | undefined;
  /** Stored changes applied, oldest first. */
  readonly changesApplied: number;
}

export interface BookFollower {
  /** Cycle `version`'s book, or undefined when what it needs has expired or was retired. */
  load(version: number): Promise<FollowedBook | undefined>;
}

export function createBookFollower(
  state: RedisPipelineState,
  onLoad: (load: BookLoad) => void = () => undefined,
): BookFollower {
  /** The book last loaded, with the id it was stored under (`StoredBook.id`). */
  let held:
    | { readonly followed: FollowedBook; readonly compiled: CompiledSnapshot; readonly id: string }
    | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  /**
   * Applies `chain` (newest first) to `start`, which it consumes; the new held book. With no
   * changes, the tasks run on `whole` (the keyframe as stored) as they would on a snapshot
   * compiled whole, so a book stored whole gives the results of its snapshot as it was.
   */
  function follow(
    start: CompiledSnapshot,
    chain: readonly Buffer[],
    version: number,
    id: string,
    whole?: Snapshot,
  ): FollowedBook {
    held = undefined; // consumed by the updates, whatever their outcome
    let compiled = start;
    for (let i = chain.length - 1; i >= 0; i--)
      compiled = applySnapshotChanges(compiled, decodeSnapshotChanges(chain[i]!)).compiled;
    const inBookOrder = whole === undefined || chain.length > 0;
    const snapshot = inBookOrder
      ? { ...compiled.snapshot, positions: compiled.snapshot.positions.slice() }
      : whole;
    const followed: FollowedBook = {
      version,
      snapshot,
      inBookOrder,
      book: compiled.book,
      runs: createCycleRuns(),
    };
    held = { followed, compiled, id };
    return followed;
  }

  /** True when the book held is the one stored as `version` with `id`. */
  const holds = (version: number, id: string | undefined): boolean =>
    held !== undefined && held.followed.version === version && held.id === id;

  async function fromKeyframe(keyframe: number, chain: readonly Buffer[], version: number, id: string) {
    const bytes = await state.getWholeBook(keyframe);
    if (bytes === undefined) return undefined;
    held = undefined; // the previous book is garbage before the next one is built
    const whole = readArrowSnapshot(bytes);
    const followed = follow(compileSnapshot(whole), chain, version, id, whole);
    onLoad({ version, keyframe, changesApplied: chain.length });
    return followed;
  }

  async function bring(version: number): Promise<FollowedBook | undefined> {
    const top = await state.getBookRecord(version);
    if (top === undefined) return undefined;
    if (holds(version, top.id)) return held!.followed;
    /** Changes from the walk's current version back to `version`, newest first. */
    const chain: Buffer[] = [];
    /** The newest keyframe passed, and how many changes were collected above it. */
    let passed: { readonly keyframe: number; readonly depth: number } | undefined;
    for (let at = version, record = top; ; ) {
      const whole = record.keyframe === at;
      const reachable = held !== undefined && held.followed.version < at && record.base !== undefined;
      // A second keyframe on the way: the book held is older than the one passed; read that.
      if (whole && passed !== undefined)
        return fromKeyframe(passed.keyframe, chain.slice(0, passed.depth), version, top.id);
      if (whole && !reachable) return fromKeyframe(at, chain, version, top.id);
      if (whole) passed = { keyframe: at, depth: chain.length };
      if (record.base === undefined) break;
      const changes = await state.getBookChanges(at);
      if (changes === undefined) break;
      chain.push(changes);
      if (holds(record.base, record.baseId)) {
        const followed = follow(held!.compiled, chain, version, top.id);
        onLoad({ version, changesApplied: chain.length });
        return followed;
      }
      at = record.base;
      const below = await state.getBookRecord(at);
      if (below === undefined) break;
      record = below;
    }
    // The walk broke off before the book held: the newest keyframe it passed, else nothing.
    return passed === undefined
      ? undefined
      : fromKeyframe(passed.keyframe, chain.slice(0, passed.depth), version, top.id);
  }

  return {
    load(version) {
      const loading = queue.then(() => bring(version));
      queue = loading.catch(() => undefined);
      return loading;
    },
  };
}
