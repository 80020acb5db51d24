/**
 * The distributed book on a real Redis: the sync's publisher stores a sequence of balance-moving
 * blocks (a keyframe every 4 cycles) and simulate-side followers that load every version, every
 * third one, join late, or come back after older books were retired each hold exactly the book
 * of a whole compile of that version's document, reached by the path the stored versions call
 * for (one block's changes, several, or the newest keyframe and the changes after it).
 * SEED reproduces a failure.
 */
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateBook } from "../../../bench/generateBook.js";
import { createRedisConnection } from "../../../src/adapters/queue/redisConnection.js";
import { createRedisPipelineState } from "../../../src/adapters/queue/redisPipelineState.js";
import {
  type BookLoad,
  createBookFollower,
  type FollowedBook,
} from "../../../src/app/daemon/bookFollower.js";
import { createBookPublisher } from "../../../src/app/daemon/bookPublisher.js";
import { createCoreEngine } from "../../../src/app/daemon/coreEngine.js";
import { compileSnapshot } from "../../../src/core/book/compiledSnapshot.js";
import { createPrng } from "../../../src/core/random/createPrng.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import { changedDocument, type SnapshotChanges } from "../../../src/core/snapshot/snapshotChanges.js";
import { randomBalanceMoves } from "../../helpers/randomBalanceMoves.js";
import { startRedisServer, type TestRedis } from "../../helpers/redisServer.js";

const SEED = Number(process.env.SEED ?? 20261203);
const VERSIONS = 12;
const KEYFRAME_EVERY = 4;

let redis: TestRedis;
let connection: Redis;
beforeAll(async () => {
  redis = await startRedisServer();
  connection = createRedisConnection(redis.url);
});
afterAll(async () => {
  connection.disconnect();
  await redis?.stop();
});

const engine = createCoreEngine();
/** What a book gives: its snapshot and one cascade on it, as JSON. */
const outcomeOf = (followed: Pick<FollowedBook, "snapshot" | "book">) =>
  JSON.stringify({
    snapshot: followed.snapshot,
    report: engine.simulate(followed.book, { WETH: -0.25, WBTC: -0.1 }, 50),
  });

describe("a simulate process's book, from the changes and keyframes the sync stores", () => {
  it("is the book of each version's document however it is reached: one change, several, a keyframe and the changes after it", async () => {
    const state = createRedisPipelineState(connection, `${redis.prefix}-follow`);
    const publisher = createBookPublisher(state, KEYFRAME_EVERY);
    const prng = createPrng(SEED);
    let document: unknown = generateBook({ positions: 300, seed: SEED });
    /** Per version, what a whole compile of its document gives. */
    const expected = new Map<number, string>();
    const records: string[] = [];
    for (let version = 1; version <= VERSIONS; version++) {
      let changes: SnapshotChanges | undefined;
      if (version > 1) {
        changes = randomBalanceMoves(prng, parseSnapshot(structuredClone(document)), { touched: 5 });
        document = changedDocument(parseSnapshot(structuredClone(document)), changes);
      }
      const published = await publisher.publish(
        changes === undefined
          ? { kind: "document", document, takenAtMs: 1, heads: {} }
          : { kind: "changes", changes, takenAtMs: 1, heads: {} },
      );
      expect(published.version).toBe(version);
      records.push(`${version}:${published.whole ? "whole" : ""}${published.changes ? "+changes" : ""}`);
      expected.set(version, outcomeOf(compileSnapshot(parseSnapshot(structuredClone(document)))));
    }
    // A keyframe on the first version and every 4 after it (with the changes too, for followers).
    expect(records).toEqual([
      "1:whole",
      "2:+changes",
      "3:+changes",
      "4:+changes",
      "5:whole+changes",
      "6:+changes",
      "7:+changes",
      "8:+changes",
      "9:whole+changes",
      "10:+changes",
      "11:+changes",
      "12:+changes",
    ]);

    const follower = () => {
      const loads: BookLoad[] = [];
      const books = createBookFollower(state, (load) => loads.push(load));
      const load = async (version: number) => {
        const followed = await books.load(version);
        expect(followed, `version ${version}`).toBeDefined();
        expect(followed!.version).toBe(version);
        expect(outcomeOf(followed!), `version ${version}`).toBe(expected.get(version));
        return loads.at(-1);
      };
      return { load, loads, books };
    };

    // Every version: one block's changes onto the book held.
    const steady = follower();
    for (let version = 1; version <= VERSIONS; version++) await steady.load(version);
    expect(steady.loads).toEqual([
      { version: 1, keyframe: 1, changesApplied: 0 },
      ...Array.from({ length: VERSIONS - 1 }, (_, i) => ({ version: i + 2, changesApplied: 1 })),
    ]);
    // The same version again: the book held, nothing read.
    await steady.load(VERSIONS);
    expect(steady.loads).toHaveLength(VERSIONS);

    // Every third version: the missed versions' changes, through a keyframe's own changes.
    const skipping = follower();
    for (const version of [1, 4, 7, 10]) await skipping.load(version);
    expect(skipping.loads.map((l) => [l.keyframe, l.changesApplied])).toEqual([
      [1, 0],
      [undefined, 3],
      [undefined, 3],
      [undefined, 3],
    ]);

    // Joining late: the newest keyframe at or below the version, then the changes after it.
    const late = follower();
    expect(await late.load(7)).toEqual({ version: 7, keyframe: 5, changesApplied: 2 });
    expect(await late.load(9)).toEqual({ version: 9, changesApplied: 2 });

    // Far behind (two keyframes passed): the newer keyframe, not eleven changes.
    const behind = follower();
    await behind.load(1);
    expect(await behind.load(12)).toEqual({ version: 12, keyframe: 9, changesApplied: 3 });

    // Results of version 12 stored: what it does not need (below its keyframe 9) is retired.
    const stale = follower();
    await stale.load(6);
    await state.retireSupersededBooks(12);
    for (const version of [1, 5, 8]) expect(await state.getBookRecord(version)).toBeUndefined();
    // The book held (6) cannot be reached any more: the keyframe of 9 and its changes after it.
    expect(await stale.load(11)).toEqual({ version: 11, keyframe: 9, changesApplied: 2 });
    // A version whose books are gone: nothing (the task fails as expired).
    expect(await follower().books.load(7)).toBeUndefined();
  });

  it("starts a new keyframe when Redis lost its data, and no follower takes an old book for a new one of the same number", async () => {
    const prefix = `${redis.prefix}-lost`;
    const state = createRedisPipelineState(connection, prefix);
    const publisher = createBookPublisher(state, 100);
    const prng = createPrng(SEED + 1);
    let document: unknown = generateBook({ positions: 200, seed: SEED + 1 });
    const step = async () => {
      const changes = randomBalanceMoves(prng, parseSnapshot(structuredClone(document)), { touched: 5 });
      document = changedDocument(parseSnapshot(structuredClone(document)), changes);
      return publisher.publish({ kind: "changes", changes, takenAtMs: 1, heads: {} });
    };
    await publisher.publish({ kind: "document", document, takenAtMs: 1, heads: {} });
    const before = outcomeOf(compileSnapshot(parseSnapshot(structuredClone(document))));
    const upToDate = createBookFollower(state);
    const idle = createBookFollower(state);
    expect(outcomeOf((await idle.load(1))!)).toBe(before);
    await upToDate.load(1);
    for (const expected of [2, 3]) {
      const published = await step();
      expect([published.version, published.changes]).toEqual([expected, true]);
      await upToDate.load(expected);
    }

    // Redis restarted empty: the cycle counter starts again at 1.
    const keys = await connection.keys(`${prefix}:*`);
    await connection.del(...keys);
    const restarted = await step();
    expect([restarted.version, restarted.whole, restarted.changes]).toEqual([1, true, false]);
    const after = outcomeOf(compileSnapshot(parseSnapshot(structuredClone(document))));
    expect(after).not.toBe(before);
    // The follower that held the old cycle 1 reads the new one; the one that held 3 as well.
    expect(outcomeOf((await idle.load(1))!)).toBe(after);
    expect(outcomeOf((await upToDate.load(1))!)).toBe(after);
    // And the lineage goes on as changes from the new keyframe.
    const next = await step();
    expect([next.version, next.whole, next.changes]).toEqual([2, false, true]);
    expect(outcomeOf((await upToDate.load(2))!)).toBe(
      outcomeOf(compileSnapshot(parseSnapshot(structuredClone(document)))),
    );
  });

  it("stores a whole keyframe after a full re-read, and every cycle from a source of whole snapshots", async () => {
    const state = createRedisPipelineState(connection, `${redis.prefix}-whole`);
    const publisher = createBookPublisher(state, 100);
    const document = generateBook({ positions: 200, seed: SEED });
    const first = await publisher.publish({ kind: "document", document, takenAtMs: 1, heads: {} });
    expect([first.whole, first.changes, first.mode]).toEqual([true, false, "compile"]);
    const reread = parseSnapshot(structuredClone(document)).positions.map((p) => structuredClone(p));
    const full = await publisher.publish({
      kind: "changes",
      changes: { upserts: reread },
      takenAtMs: 1,
      heads: {},
    });
    expect([full.whole, full.changes, full.mode]).toEqual([true, false, "rebuild:size"]);
    expect(await state.getBookRecord(full.version)).toMatchObject({ keyframe: full.version });
    expect(await state.getBookRecord(full.version)).not.toHaveProperty("base");

    const snapshot = parseSnapshot(structuredClone(document));
    const plain = createBookPublisher(state, 100);
    for (let i = 0; i < 2; i++) {
      const whole = await plain.publish({ snapshot, takenAtMs: 1, blocks: {}, heads: {} });
      expect([whole.whole, whole.changes]).toEqual([true, false]);
      // Stored as it was handed over: a worker's tasks see the snapshot in its own order.
      const followed = await createBookFollower(state).load(whole.version);
      expect(followed?.inBookOrder).toBe(false);
      expect(JSON.stringify(followed?.snapshot)).toBe(JSON.stringify(snapshot));
    }
  });
});
