import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisPipelineState } from "../../../src/adapters/queue/redisPipelineState.js";
import { startRedisServer, type TestRedis } from "../../helpers/redisServer.js";

describe("the pipeline's snapshot blobs in Redis", () => {
  let server: TestRedis;
  let redis: Redis;
  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
  });

  const stored = async (prefix: string): Promise<number[]> =>
    (await redis.keys(`${prefix}:state:snapshot:[0-9]*`))
      .map((k) => Number(k.slice(k.lastIndexOf(":") + 1)))
      .sort((a, b) => a - b);

  it("keeps only the snapshot of the newest results, whatever order the cycles finish in", async () => {
    const prefix = `${server.prefix}-retire`;
    const state = createRedisPipelineState(redis, prefix);
    for (const version of [1, 2, 3, 4]) await state.putSnapshot(version, Uint8Array.of(version, 0, 255));

    await state.retireSupersededSnapshot(1);
    expect(await stored(prefix)).toEqual([1, 2, 3, 4]);
    // Cycle 3 finishes before cycle 2: 1 is superseded, and 2, arriving late, is not needed.
    await state.retireSupersededSnapshot(3);
    expect(await stored(prefix)).toEqual([2, 3, 4]);
    await state.retireSupersededSnapshot(2);
    expect(await stored(prefix)).toEqual([3, 4]);
    await state.retireSupersededSnapshot(4);
    expect(await stored(prefix)).toEqual([4]);
    expect(await state.getSnapshot(4)).toEqual(Buffer.from([4, 0, 255]));
  });
});
