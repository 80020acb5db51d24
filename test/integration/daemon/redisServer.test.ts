import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedisServer, type TestRedis } from "../../helpers/redisServer.js";

describe("startRedisServer", () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it("answers commands and keeps keys under the test prefix", async () => {
    const client = new Redis(redis.url);
    try {
      await client.set(`${redis.prefix}:k`, "v");
      expect(await client.get(`${redis.prefix}:k`)).toBe("v");
      expect(redis.prefix).toMatch(/^cmtest-[0-9a-f]{12}$/);
    } finally {
      client.disconnect();
    }
  });
});
