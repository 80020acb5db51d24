/**
 * Key-value checkpoints for the indexers (newest indexed block, cursor per market): in memory for
 * one process, in Redis when the pipeline is distributed, behind one interface.
 */
import type { Redis } from "ioredis";

export interface CheckpointStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

export function createMemoryCheckpointStore(): CheckpointStore {
  const values = new Map<string, string>();
  return {
    get: async (key) => values.get(key),
    set: async (key, value) => {
      values.set(key, value);
    },
  };
}

export function createRedisCheckpointStore(redis: Redis, prefix: string): CheckpointStore {
  const hash = `${prefix}:checkpoints`;
  return {
    get: async (key) => (await redis.hget(hash, key)) ?? undefined,
    set: async (key, value) => {
      await redis.hset(hash, key, value);
    },
  };
}
