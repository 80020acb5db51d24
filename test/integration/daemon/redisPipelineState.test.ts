import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createRedisPipelineState,
  SNAPSHOT_TTL_SECONDS,
} from "../../../src/adapters/queue/redisPipelineState.js";
import { startRedisServer, type TestRedis } from "../../helpers/redisServer.js";

describe("the pipeline's books in Redis", () => {
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

  const stored = async (prefix: string): Promise<string[]> =>
    (await redis.keys(`${prefix}:state:book:[0-9]*`)).map((k) => k.slice(`${prefix}:state:`.length)).sort();

  it("keeps only what the newest results' book needs (its keyframe and the changes after it), whatever order the cycles finish in", async () => {
    const prefix = `${server.prefix}-retire`;
    const state = createRedisPipelineState(redis, prefix);
    const bytes = (version: number) => Uint8Array.of(version, 0, 255);
    // 1 whole; 2, 3 changes; 4 whole and changes; 5 changes.
    await state.putBook(1, { record: { id: "b1", keyframe: 1 }, whole: bytes(1) }, []);
    await state.putBook(
      2,
      { record: { id: "b2", keyframe: 1, base: 1, baseId: "b1" }, changes: bytes(2) },
      [1],
    );
    await state.putBook(
      3,
      { record: { id: "b3", keyframe: 1, base: 2, baseId: "b2" }, changes: bytes(3) },
      [1, 2],
    );
    await state.putBook(
      4,
      { record: { id: "b4", keyframe: 4, base: 3, baseId: "b3" }, whole: bytes(4), changes: bytes(4) },
      [],
    );
    await state.putBook(
      5,
      { record: { id: "b5", keyframe: 4, base: 4, baseId: "b4" }, changes: bytes(5) },
      [4],
    );
    const all = await stored(prefix);
    expect(all).toHaveLength(5 + 2 + 4);

    await state.retireSupersededBooks(2);
    expect(await stored(prefix)).toEqual(all);
    // Cycle 4 finishes before cycle 3: everything below its keyframe goes; 3, arriving late, keeps it.
    await state.retireSupersededBooks(4);
    const fromFour = ["book:4", "book:4:changes", "book:4:whole", "book:5", "book:5:changes"];
    expect(await stored(prefix)).toEqual(fromFour);
    await state.retireSupersededBooks(3);
    expect(await stored(prefix)).toEqual(fromFour);
    await state.retireSupersededBooks(5);
    expect(await stored(prefix)).toEqual(fromFour);
    expect(await state.getBookRecord(5)).toEqual({ id: "b5", keyframe: 4, base: 4, baseId: "b4" });
    expect(await state.getWholeBook(4)).toEqual(Buffer.from([4, 0, 255]));
    expect(await state.getBookChanges(5)).toEqual(Buffer.from([5, 0, 255]));
    expect(await state.getWholeBook(5)).toBeUndefined();
    expect(await redis.zrange(`${prefix}:state:books`, "0", "-1")).toEqual(["4", "5"]);
  });

  it("stores a book to expire, and refreshes the expiry of the versions it descends from", async () => {
    const prefix = `${server.prefix}-expiry`;
    const state = createRedisPipelineState(redis, prefix);
    await state.putBook(1, { record: { id: "b1", keyframe: 1 }, whole: Uint8Array.of(1) }, []);
    await redis.expire(`${prefix}:state:book:1:whole`, 5);
    await state.putBook(
      2,
      { record: { id: "b2", keyframe: 1, base: 1, baseId: "b1" }, changes: Uint8Array.of(2) },
      [1],
    );
    for (const key of ["book:1", "book:1:whole", "book:2", "book:2:changes"])
      expect(await redis.ttl(`${prefix}:state:${key}`)).toBeGreaterThan(SNAPSHOT_TTL_SECONDS - 10);
  });
});
