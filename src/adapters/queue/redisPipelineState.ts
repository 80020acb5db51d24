/**
 * Pipeline state in Redis beside the queues: the cycle counter, each cycle's snapshot (handed from
 * the sync worker to the simulate workers, expiring on its own) and per-delivery markers that keep
 * a retried notification job from delivering twice.
 */
import type { Redis } from "ioredis";

/** A snapshot blob outlives any reasonable simulate backlog, then expires. */
export const SNAPSHOT_TTL_SECONDS = 3600;
/** Delivery markers outlive every retry of a notification. */
export const DELIVERED_TTL_SECONDS = 7 * 24 * 3600;

export function createRedisPipelineState(redis: Redis, prefix: string) {
  const key = (suffix: string) => `${prefix}:state:${suffix}`;
  return {
    /** The next cycle number (1, 2, …), shared by every sync worker. */
    nextVersion: async (): Promise<number> => redis.incr(key("version")),
    putSnapshot: async (version: number, json: string): Promise<void> => {
      await redis.set(key(`snapshot:${version}`), json, "EX", SNAPSHOT_TTL_SECONDS);
    },
    getSnapshot: async (version: number): Promise<string | undefined> =>
      (await redis.get(key(`snapshot:${version}`))) ?? undefined,
    wasDelivered: async (deliveryId: string): Promise<boolean> =>
      (await redis.exists(key(`delivered:${deliveryId}`))) === 1,
    markDelivered: async (deliveryId: string): Promise<void> => {
      await redis.set(key(`delivered:${deliveryId}`), "1", "EX", DELIVERED_TTL_SECONDS);
    },
  };
}

export type RedisPipelineState = ReturnType<typeof createRedisPipelineState>;
