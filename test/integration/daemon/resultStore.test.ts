import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryResultStore } from "../../../src/adapters/store/memoryResultStore.js";
import type { MonitorResults } from "../../../src/adapters/store/monitorResults.js";
import { createRedisResultStore } from "../../../src/adapters/store/redisResultStore.js";
import type { ResultStore } from "../../../src/adapters/store/resultStore.js";
import { samplePositionsAtRisk } from "../../helpers/positionsAtRisk.js";
import { startRedisServer, type TestRedis } from "../../helpers/redisServer.js";

const results = (version: number): MonitorResults => ({
  version,
  snapshotTakenAtMs: version * 1000,
  computedAtMs: version * 1000 + 1,
  blocks: { "1": version },
  heads: { "1": version },
  book: { positions: version, collateralUsd: 0, debtUsd: 0, byProtocol: {}, markets: [], exposures: [] },
  scenarios: [],
  curves: [],
  criticalShocks: [],
  positionsAtRisk: [],
});

let redis: TestRedis;
let client: Redis;
beforeAll(async () => {
  redis = await startRedisServer();
  client = new Redis(redis.url);
});
afterAll(async () => {
  client.disconnect();
  await redis?.stop();
});

describe.each([
  ["memory", () => createMemoryResultStore()],
  ["redis", () => createRedisResultStore(client, `${redis.prefix}:${Math.random().toString(36).slice(2)}`)],
] as Array<[string, () => ResultStore]>)("%s result store", (_name, make) => {
  it("keeps only the newest results: an older version never overwrites a newer one", async () => {
    const store = make();
    expect(await store.getResults()).toBeUndefined();
    expect(await store.putResults(results(2))).toBe(true);
    expect(await store.putResults(results(1))).toBe(false);
    expect(await store.putResults(results(2))).toBe(false);
    expect((await store.getResults())?.version).toBe(2);
    expect(await store.putResults(results(3))).toBe(true);
    expect(await store.getResults()).toEqual(results(3));
  });

  it("gives back positions at risk as they were put, field for field and in order, whatever their markets", async () => {
    const store = make();
    const positionsAtRisk = samplePositionsAtRisk;
    const put = { ...results(4), positionsAtRisk, cascades: [] };
    await store.putResults(put);
    const got = await store.getResults();
    expect(got).toEqual(put);
    expect(JSON.stringify(got)).toBe(JSON.stringify(put));
  });

  it("round-trips the alert book", async () => {
    const store = make();
    expect(await store.getAlertBook()).toBeUndefined();
    const book = {
      alerts: [],
      groups: [
        { key: "k", labels: { alertname: "A" }, lastNotifiedAtMs: 5, notifiedFiring: ["f"], sequence: 2 },
      ],
    };
    await store.putAlertBook(book);
    expect(await store.getAlertBook()).toEqual(book);
  });
});

describe("redis result store, results stored by an older version", () => {
  it("reads positions at risk stored as a list", async () => {
    const prefix = `${redis.prefix}:older`;
    const old = {
      ...results(7),
      positionsAtRisk: [
        {
          market: "m",
          protocol: "aave-v3",
          account: "0xd",
          healthFactor: 1.05,
          collateralUsd: 2,
          debtUsd: 1.8,
        },
      ],
    };
    await client.hset(`${prefix}:results`, "version", "7", "json", JSON.stringify(old));
    expect(await createRedisResultStore(client, prefix).getResults()).toEqual(old);
  });
});
