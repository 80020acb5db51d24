/**
 * Pipeline state in Redis beside the queues: the cycle counter, each cycle's book (handed from
 * the sync worker to the simulate workers as a whole snapshot, a keyframe, and/or the changes
 * from an earlier cycle's book; kept while the newest results need it, else deleted or expiring
 * on its own) and per-delivery markers that keep a retried notification job from delivering twice.
 */
import type { Redis } from "ioredis";

/** A stored book outlives any reasonable simulate backlog, then expires (refreshed while in use). */
export const SNAPSHOT_TTL_SECONDS = 3600;

/** How one cycle's book is stored: whole (a keyframe), as changes from an earlier cycle's book, or both. */
export interface StoredBook {
  /**
   * Names this stored book apart from any other of the same version number: a Redis that lost
   * its data counts cycles from 1 again, and a process that still holds the old cycle 3's book
   * must not take it for the new cycle 3's.
   */
  readonly id: string;
  /** The newest keyframe this version's book descends from (the version itself when it is one). */
  readonly keyframe: number;
  /** The version whose book the stored changes apply to; absent when no changes are stored. */
  readonly base?: number | undefined;
  /** The `id` of `base`'s book, so a process holding that book knows it is the one. */
  readonly baseId?: string | undefined;
}

/** What one cycle's book is stored as: the record, and the keyframe and changes it says are there. */
export interface BookWrite {
  readonly record: StoredBook;
  /** An Arrow snapshot file (docs/snapshot-formats.md), when `record.keyframe` is this version. */
  readonly whole?: Uint8Array | undefined;
  /** The encoded changes from `record.base`'s book, when `record.base` is set. */
  readonly changes?: Uint8Array | undefined;
}

/**
 * Atomically: if ARGV[1] is newer than the current version in KEYS[1], it becomes current. Returns
 * the current version after the call.
 */
const PROMOTE_CURRENT = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local version = tonumber(ARGV[1])
if version > current then
  redis.call('SET', KEYS[1], ARGV[1])
  return version
end
return current`;
/** Deletes KEYS[1] only while it still holds ARGV[1] (a newer cycle's marker stays). */
const CLEAR_IF_EQUAL = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;
/** Delivery markers outlive every retry of a notification. */
export const DELIVERED_TTL_SECONDS = 7 * 24 * 3600;

/** The keys (after the state prefix) one cycle's book may use. */
function bookKeys(version: number): string[] {
  return [`book:${version}`, `book:${version}:whole`, `book:${version}:changes`];
}

const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export function createRedisPipelineState(redis: Redis, prefix: string) {
  const key = (suffix: string) => `${prefix}:state:${suffix}`;
  return {
    /** The next cycle number (1, 2, …), shared by every sync worker. */
    nextVersion: async (): Promise<number> => redis.incr(key("version")),
    /**
     * Stores cycle `version`'s book in one transaction, and refreshes the expiry of the versions
     * in `lineage` (those its book descends from, back to its keyframe), so that a keyframe lives
     * as long as the cycles built on it.
     */
    putBook: async (version: number, write: BookWrite, lineage: readonly number[]): Promise<void> => {
      const tx = redis.multi();
      tx.set(key(`book:${version}`), JSON.stringify(write.record), "EX", SNAPSHOT_TTL_SECONDS);
      if (write.whole !== undefined)
        tx.set(key(`book:${version}:whole`), asBuffer(write.whole), "EX", SNAPSHOT_TTL_SECONDS);
      if (write.changes !== undefined)
        tx.set(key(`book:${version}:changes`), asBuffer(write.changes), "EX", SNAPSHOT_TTL_SECONDS);
      tx.zadd(key("books"), version, String(version));
      tx.expire(key("books"), SNAPSHOT_TTL_SECONDS);
      for (const earlier of lineage)
        for (const k of bookKeys(earlier)) tx.expire(key(k), SNAPSHOT_TTL_SECONDS);
      await tx.exec();
    },
    /** How cycle `version`'s book is stored, if it still is. */
    getBookRecord: async (version: number): Promise<StoredBook | undefined> => {
      const json = await redis.get(key(`book:${version}`));
      return json === null ? undefined : (JSON.parse(json) as StoredBook);
    },
    /** Cycle `version`'s whole book (an Arrow snapshot file), when it is a keyframe. */
    getWholeBook: async (version: number): Promise<Buffer | undefined> =>
      (await redis.getBuffer(key(`book:${version}:whole`))) ?? undefined,
    /** The encoded changes that turn its base's book into cycle `version`'s. */
    getBookChanges: async (version: number): Promise<Buffer | undefined> =>
      (await redis.getBuffer(key(`book:${version}:changes`))) ?? undefined,
    /**
     * Called once a cycle's results are stored (or refused as older): keeps only what the newest
     * results' book needs (its keyframe and the changes after it), so books do not pile up for
     * an hour. Versions below that keyframe are deleted; newer ones stay for their own cycles.
     */
    retireSupersededBooks: async (version: number): Promise<void> => {
      const current = Number(await redis.eval(PROMOTE_CURRENT, 1, key("book:current"), String(version)));
      const json = await redis.get(key(`book:${current}`));
      if (json === null) return;
      const { keyframe } = JSON.parse(json) as StoredBook;
      const stale = await redis.zrangebyscore(key("books"), "-inf", `(${keyframe}`);
      if (stale.length === 0) return;
      await redis.del(...stale.flatMap((v) => bookKeys(Number(v)).map(key)));
      await redis.zrem(key("books"), ...stale);
    },
    /** Marks cycle `version` as the one running (its flow is queued or being worked on). */
    setCycleInFlight: async (version: number): Promise<void> => {
      await redis.set(key("cycle:in-flight"), String(version), "EX", SNAPSHOT_TTL_SECONDS);
    },
    /** The cycle marked as running, if any (its parent job's state says whether it still is). */
    cycleInFlight: async (): Promise<number | undefined> => {
      const value = await redis.get(key("cycle:in-flight"));
      return value === null ? undefined : Number(value);
    },
    /** Clears the running mark of cycle `version` (a newer cycle's mark is left). */
    clearCycleInFlight: async (version: number): Promise<void> => {
      await redis.eval(CLEAR_IF_EQUAL, 1, key("cycle:in-flight"), String(version));
    },
    /** One more cycle start skipped while a cycle ran; returns the count since that cycle began. */
    addCycleBehind: async (): Promise<number> => redis.incr(key("cycles-behind")),
    /** A new cycle began: nothing is skipped since. */
    resetCyclesBehind: async (): Promise<void> => {
      await redis.set(key("cycles-behind"), "0");
    },
    /** Cycle starts skipped since the running cycle began. */
    cyclesBehind: async (): Promise<number> => Number((await redis.get(key("cycles-behind"))) ?? "0"),
    /** The newest VaR summary (JSON), for every process's API. */
    putValueAtRisk: async (json: string): Promise<void> => {
      await redis.set(key("value-at-risk"), json);
    },
    getValueAtRisk: async (): Promise<string | undefined> =>
      (await redis.get(key("value-at-risk"))) ?? undefined,
    wasDelivered: async (deliveryId: string): Promise<boolean> =>
      (await redis.exists(key(`delivered:${deliveryId}`))) === 1,
    markDelivered: async (deliveryId: string): Promise<void> => {
      await redis.set(key(`delivered:${deliveryId}`), "1", "EX", DELIVERED_TTL_SECONDS);
    },
  };
}

export type RedisPipelineState = ReturnType<typeof createRedisPipelineState>;
