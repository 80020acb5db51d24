/**
 * Indexer checkpoints in Redis (one JSON value per chain under `<prefix>:checkpoints`), with the
 * same `load`/`save` shape as the file and memory stores, so a distributed sync resumes where any
 * sync worker left off.
 */
import type { Redis } from "ioredis";

export function createRedisCheckpointStore<C extends { readonly chainId: number }>(
  redis: Redis,
  prefix: string,
) {
  const hash = `${prefix}:checkpoints`;
  return {
    async load(chainId: number): Promise<C | undefined> {
      const json = await redis.hget(hash, String(chainId));
      return json === null ? undefined : (JSON.parse(json) as C);
    },
    async save(checkpoint: C): Promise<void> {
      await redis.hset(hash, String(checkpoint.chainId), JSON.stringify(checkpoint));
    },
  };
}
