/**
 * Pipeline state in Redis beside the queues: the cycle counter, each cycle's snapshot (handed from
 * the sync worker to the simulate workers; kept while its results are the newest, else deleted or
 * expiring on its own) and per-delivery markers that keep
 * a retried notification job from delivering twice.
 */
import type { Redis } from "ioredis";

/** A snapshot blob outlives any reasonable simulate backlog, then expires. */
export const SNAPSHOT_TTL_SECONDS = 3600;

/**
 * Atomically: if ARGV[1] is newer than the current version in KEYS[1], it becomes current and the
 * old current is returned; otherwise ARGV[1] itself is returned. Either way, the version returned
 * is the one whose snapshot nothing will read again (0: none).
 */
const PROMOTE_SNAPSHOT = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local version = tonumber(ARGV[1])
if version > current then
  redis.call('SET', KEYS[1], ARGV[1])
  return current
end
return version`;
/** Deletes KEYS[1] only while it still holds ARGV[1] (a newer cycle's marker stays). */
const CLEAR_IF_EQUAL = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;
/** Delivery markers outlive every retry of a notification. */
export const DELIVERED_TTL_SECONDS = 7 * 24 * 3600;

export function createRedisPipelineState(redis: Redis, prefix: string) {
  const key = (suffix: string) => `${prefix}:state:${suffix}`;
  return {
    /** The next cycle number (1, 2, …), shared by every sync worker. */
    nextVersion: async (): Promise<number> => redis.incr(key("version")),
    /** A cycle's snapshot as an Arrow snapshot file (docs/snapshot-formats.md), not JSON text. */
    putSnapshot: async (version: number, bytes: Uint8Array): Promise<void> => {
      const value = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      await redis.set(key(`snapshot:${version}`), value, "EX", SNAPSHOT_TTL_SECONDS);
    },
    getSnapshot: async (version: number): Promise<Buffer | undefined> =>
      (await redis.getBuffer(key(`snapshot:${version}`))) ?? undefined,
    /**
     * Called once a cycle's results are stored (or refused as older): keeps only the snapshot the
     * newest results were computed from, so one blob per cycle does not pile up for an hour.
     */
    retireSupersededSnapshot: async (version: number): Promise<void> => {
      const stale = Number(await redis.eval(PROMOTE_SNAPSHOT, 1, key("snapshot:current"), String(version)));
      if (stale > 0) await redis.del(key(`snapshot:${stale}`));
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
