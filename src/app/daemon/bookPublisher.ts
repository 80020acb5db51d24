/**
 * The sync role's side of the distributed book: each cycle's book goes to Redis as the changes
 * from the previous cycle's book (what the block changed, a few kilobytes), and as a whole
 * snapshot (an Arrow keyframe) only when it must or now and then:
 *
 * - whole only: the first cycle, a book compiled whole (after a refused change, a full re-read of
 *   the chain, a header that changes which assets, oracles or markets exist), changes of more
 *   than `MAX_CHANGES_SHARE` of the positions, a source that hands over whole snapshots only,
 *   when the previous cycle's book was not stored (its changes would describe a book no
 *   worker can hold), or when Redis lost what was stored (its cycle counter went back: a restart
 *   without its data), since no keyframe is left under the changes;
 * - whole and changes: every `keyframeEveryCycles` cycles of one lineage, so a worker that
 *   joins late reads at most that many changes after a keyframe, and older books can be retired,
 *   while a worker that holds the previous book still only applies the changes;
 * - changes only: every other cycle.
 *
 * Each stored book gets an id of its own, and its changes name the id of the book they apply to:
 * version numbers repeat after Redis lost its data, books never do.
 *
 * The sync keeps its book from block to block (`heldBook`, the single-process monitor's code):
 * its changes are what the workers apply to theirs (`bookFollower`), so both hold the same book.
 */
import { randomUUID } from "node:crypto";
import type { BookWrite, RedisPipelineState } from "../../adapters/queue/redisPipelineState.js";
import { encodeArrowSnapshot } from "../../adapters/snapshot/encodeArrowSnapshot.js";
import { encodeSnapshotChanges } from "../../adapters/snapshot/snapshotChangesCodec.js";
import { SnapshotError } from "../../core/errors.js";
import type { Snapshot } from "../../core/snapshot/snapshot.js";
import type { SnapshotChanges } from "../../core/snapshot/snapshotChanges.js";
import type { SyncedBook, SyncedSnapshot, SyncFacts } from "./daemonPorts.js";
import { createHeldBook, type HeldBookMode } from "./heldBook.js";

/** Changes to more than this share of the positions are stored as a keyframe only. */
export const MAX_CHANGES_SHARE = 1 / 16;

/** What one cycle's book was stored as. */
export interface PublishedBook extends SyncFacts {
  readonly version: number;
  /** The cycle's snapshot (positions in book order when the book is held). */
  readonly snapshot: Snapshot;
  /** True when the whole book was stored (a keyframe). */
  readonly whole: boolean;
  /** True when the changes from the previous version's book were stored. */
  readonly changes: boolean;
  /** Bytes of the keyframe and the changes stored. */
  readonly bytes: number;
  /** How the sync's own book was brought up to date (absent for a source of whole snapshots). */
  readonly mode?: HeldBookMode | undefined;
}

export interface BookPublisher {
  /** True when the next sync must hand over its whole document (`SnapshotSource.syncBook`). */
  readonly wantsWhole: boolean;
  /**
   * Brings the sync's book up to `synced`, takes the next cycle version and stores its book.
   * @throws SnapshotError as the held book does (nothing is stored then).
   */
  publish(synced: SyncedBook | SyncedSnapshot): Promise<PublishedBook>;
}

interface Lineage {
  /** The version last stored, and its book's id. */
  readonly version: number;
  readonly id: string;
  readonly keyframe: number;
  /** The versions stored since the keyframe, the keyframe first. */
  readonly versions: readonly number[];
}

export function createBookPublisher(state: RedisPipelineState, keyframeEveryCycles: number): BookPublisher {
  const held = createHeldBook();
  /** The lineage of the book last stored; undefined until a book is stored, and while one is being stored. */
  let last: Lineage | undefined;

  async function store(
    snapshot: Snapshot,
    changes: SnapshotChanges | undefined,
    base: Lineage | undefined,
  ): Promise<{ version: number; whole: boolean; changes: boolean; bytes: number }> {
    const version = await state.nextVersion();
    // A version not above the one last stored: Redis restarted without its data, and the
    // keyframe under any changes is gone with it.
    const follows = base !== undefined && changes !== undefined && version > base.version;
    const whole = !follows || version - base.keyframe >= keyframeEveryCycles;
    const keyframe = whole ? version : base!.keyframe;
    const id = randomUUID();
    const write: BookWrite = {
      record: { id, keyframe, ...(follows ? { base: base.version, baseId: base.id } : {}) },
      ...(whole ? { whole: encodeArrowSnapshot(snapshot) } : {}),
      ...(follows ? { changes: encodeSnapshotChanges(changes) } : {}),
    };
    const lineage = whole ? [] : base!.versions;
    await state.putBook(version, write, lineage);
    last = { version, id, keyframe, versions: [...lineage, version] };
    const bytes = (write.whole?.byteLength ?? 0) + (write.changes?.byteLength ?? 0);
    return { version, whole, changes: follows, bytes };
  }

  return {
    get wantsWhole() {
      return held.wantsWhole;
    },
    async publish(synced) {
      const base = last;
      // Until this book is stored, the next one cannot be stored as changes from it.
      last = undefined;
      if (!("kind" in synced)) {
        const stored = await store(synced.snapshot, undefined, undefined);
        const { snapshot, takenAtMs, blocks, heads } = synced;
        return { ...stored, snapshot, takenAtMs, blocks, heads };
      }
      let update: ReturnType<typeof held.accept>;
      try {
        update = held.accept(synced);
      } catch (error) {
        // A refused document leaves the book as it was: the one last stored.
        if (error instanceof SnapshotError && !held.wantsWhole) last = base;
        throw error;
      }
      const { snapshot, mode } = update;
      const changes =
        mode === "incremental" && update.changes !== undefined && !isLarge(update.changes, snapshot)
          ? update.changes
          : undefined;
      const stored = await store(snapshot, changes, base);
      const facts = { takenAtMs: synced.takenAtMs, blocks: snapshot.source.blocks, heads: synced.heads };
      return { ...stored, snapshot, ...facts, mode };
    },
  };
}

function isLarge(changes: SnapshotChanges, snapshot: Snapshot): boolean {
  const touched = (changes.upserts?.length ?? 0) + (changes.closed?.length ?? 0);
  return touched > snapshot.positions.length * MAX_CHANGES_SHARE;
}
