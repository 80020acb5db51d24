/**
 * One redis-server for a test file (started before its tests, stopped after them), one
 * connection to it, a fresh key prefix per use, and cleanups run after each test, last first.
 */
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll } from "vitest";
import { createRedisConnection } from "../../src/adapters/queue/redisConnection.js";
import { startRedisServer, type TestRedis } from "./redisServer.js";

export interface RedisForFile {
  readonly url: string;
  readonly connection: Redis;
  /** A key prefix no other call in this file returned (`tag` names the file's use of it). */
  nextPrefix(tag: string): string;
  /** Runs `cleanup` after the current test. */
  afterThisTest(cleanup: () => Promise<void>): void;
}

export function redisForFile(): RedisForFile {
  let redis: TestRedis | undefined;
  let connection: Redis | undefined;
  let uses = 0;
  const cleanups: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    redis = await startRedisServer();
    connection = createRedisConnection(redis.url);
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    connection?.disconnect();
    await redis?.stop();
  });
  const started = (): TestRedis => {
    if (redis === undefined) throw new Error("redisForFile: used before its beforeAll ran");
    return redis;
  };
  return {
    get url() {
      return started().url;
    },
    get connection() {
      started();
      return connection!;
    },
    nextPrefix: (tag) => `${started().prefix}-${tag}${++uses}`,
    afterThisTest: (cleanup) => void cleanups.push(cleanup),
  };
}
