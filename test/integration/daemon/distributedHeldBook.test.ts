/**
 * The distributed pipeline with a sync that hands over each block's changes, against the
 * single-process monitor holding its book, fed the same random block sequence (changed, opened
 * and closed positions; moved prices, oracles and market parameters; a new asset; invalid fields;
 * a full re-read): every cycle's stored results are byte-identical, a refused block stores no
 * cycle, and the simulate processes mostly follow the changes. Along the way one simulate
 * process pauses while another works (it then follows several changes or reads a keyframe), a
 * third joins late (it reads a keyframe and the changes after it). SEED reproduces a failure.
 */
import { describe, expect, it } from "vitest";
import { createMonitorMetrics, type MonitorMetrics } from "../../../src/adapters/metrics/monitorMetrics.js";
import { createMemoryResultStore } from "../../../src/adapters/store/memoryResultStore.js";
import { createCoreEngine } from "../../../src/app/daemon/coreEngine.js";
import type { DaemonLogger } from "../../../src/app/daemon/daemonLogger.js";
import type { SnapshotSource, SyncedBook } from "../../../src/app/daemon/daemonPorts.js";
import { daemonSettings } from "../../../src/app/daemon/daemonSettings.js";
import {
  type DistributedPipeline,
  startDistributedPipeline,
} from "../../../src/app/daemon/distributedPipeline.js";
import { createHeldBook } from "../../../src/app/daemon/heldBook.js";
import { createSingleProcessMonitor } from "../../../src/app/daemon/singleProcessMonitor.js";
import { alertsSectionSchema } from "../../../src/config/schema/alerts.js";
import { scenariosSectionSchema } from "../../../src/config/schema/scenarios.js";
import { SnapshotError } from "../../../src/core/errors.js";
import { type Block, randomBlockSequence, SEQUENCE_SCENARIOS } from "../../helpers/randomBlockSequence.js";
import { redisForFile } from "../../helpers/redisForFile.js";

const SEED = Number(process.env.SEED ?? 20261204);
const STEPS = 24;
const NOW_MS = Date.UTC(2026, 11, 1);

const redis = redisForFile();

const settingsWith = (keyframeEveryCycles: number) =>
  daemonSettings(
    scenariosSectionSchema.parse({ ...SEQUENCE_SCENARIOS, keyframeEveryCycles }),
    alertsSectionSchema.parse({ rules: [] }),
    120,
  );

/** A source of the sequence's blocks (`at` picks one): its changes, or its document when asked. */
function sequenceSource(sequence: readonly Block[], at: () => number): SnapshotSource {
  return {
    sync: async () => {
      throw new Error("this source hands over its book");
    },
    syncBook: async (_signal, whole): Promise<SyncedBook> => {
      const block = sequence[at()]!;
      const facts = { takenAtMs: 1, heads: { "1": at() } };
      return whole
        ? { kind: "document", document: block.document, ...facts }
        : { kind: "changes", changes: block.changes, ...facts };
    },
    close: async () => undefined,
  };
}

/** Results as JSON, compared byte for byte. */
const resultsJson = (results: unknown) => JSON.stringify(results);

describe("distributed pipeline, workers following the sync's changes", () => {
  it.each([3, 100])(
    "gives the single-process monitor's results cycle by cycle, a keyframe every %i cycles",
    async (keyframeEveryCycles) => {
      const settings = settingsWith(keyframeEveryCycles);
      const prefix = redis.nextPrefix("h");
      const sequence = randomBlockSequence(SEED + keyframeEveryCycles, STEPS);
      let at = 0;

      const single = createMemoryResultStore();
      const monitor = createSingleProcessMonitor({
        engine: createCoreEngine(),
        source: sequenceSource(sequence, () => at),
        store: single,
        metrics: createMonitorMetrics({ processMetrics: false }),
        sinks: [],
        settings,
        logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
        retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
        startVersion: 0,
        nowMs: () => NOW_MS,
        elapsedMs: () => 0,
        heldBook: createHeldBook(),
      });

      /** Per simulate process, the keyframes it read whole. */
      const wholeLoads = new Map<string, Array<Record<string, unknown>>>();
      /** Per process, its metrics (the book loads it counted). */
      const metricsOf = new Map<string, MonitorMetrics>();
      const start = async (role: "sync" | "simulate", name: string): Promise<DistributedPipeline> => {
        const loads: Array<Record<string, unknown>> = [];
        wholeLoads.set(name, loads);
        const metrics = createMonitorMetrics({ processMetrics: false });
        metricsOf.set(name, metrics);
        const logger: DaemonLogger = {
          info: (fields, message) => {
            if (message === "book loaded whole") loads.push(fields);
          },
          warn: () => undefined,
          error: () => undefined,
        };
        const p = await startDistributedPipeline({
          role,
          connection: redis.connection,
          prefix,
          engine: createCoreEngine(),
          ...(role === "sync" ? { source: sequenceSource(sequence, () => at) } : {}),
          sinks: [],
          settings,
          metrics,
          logger,
          workerOptions: {
            concurrency: 1,
            lockDurationMs: 5000,
            stalledIntervalMs: 5000,
            retryPolicy: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10 },
          },
          nowMs: () => NOW_MS,
          elapsedMs: () => 0,
          schedule: false,
        });
        redis.afterThisTest(async () => {
          await p.close(5000);
        });
        return p;
      };
      const sync = await start("sync", "sync");
      const a = await start("simulate", "a");
      const b = await start("simulate", "b");
      let c: DistributedPipeline | undefined;
      const pause = (p: DistributedPipeline) => Promise.all(p.workers.map((w) => w.pause()));
      const resume = (p: DistributedPipeline) => {
        for (const w of p.workers) w.resume();
      };

      let versions = 0;
      let refused = 0;
      for (at = 0; at < sequence.length; at++) {
        // Who works: both; then a alone (b misses cycles); then b alone; then a late c alone; then all.
        if (at === 6) await pause(b);
        if (at === 10) {
          await pause(a);
          resume(b);
        }
        if (at === 14) {
          await pause(b);
          c = await start("simulate", "c");
        }
        if (at === 18) {
          resume(a);
          resume(b);
        }
        let expected: string | SnapshotError;
        try {
          await monitor.runCycle(new AbortController().signal);
          expected = resultsJson(await single.getResults());
        } catch (error) {
          if (!(error instanceof SnapshotError)) throw error;
          expected = error;
        }
        const job = await sync.queues.sync.add("sync", { reason: "manual" });
        const outcome = await until(async () => {
          const state = await sync.queues.sync.getJobState(job.id ?? "");
          return state === "completed" || state === "failed" ? state : undefined;
        });
        if (expected instanceof SnapshotError) {
          refused++;
          expect(outcome, `block ${at}: ${expected.message}`).toBe("failed");
          continue;
        }
        expect(outcome, `block ${at}`).toBe("completed");
        versions++;
        // The cycle's end (not only its results): the next sync must not find it still running.
        const cycle = await until(async () => {
          const state = await sync.queues.simulate.getJobState(`simulate-v${versions}`);
          return state === "completed" || state === "failed" ? state : undefined;
        });
        expect(cycle, `block ${at}`).toBe("completed");
        expect(resultsJson(await sync.store.getResults()), `block ${at}`).toBe(expected);
      }
      expect(refused, "the sequence refuses some blocks").toBeGreaterThan(0);
      expect(c).toBeDefined();
      // Keyframes read whole: the first of each process, after whole compiles, past missed cycles.
      const loads = [...wholeLoads.values()].flat();
      expect(loads.length, JSON.stringify(loads)).toBeLessThan(versions);
      const late = wholeLoads.get("c")![0]!;
      expect(late.version as number).toBeGreaterThanOrEqual(late.keyframe as number);
      // The book loads metric counts the same keyframe reads, and the books brought up by changes.
      const counted = async (kind: string) => {
        let sum = 0;
        for (const m of metricsOf.values()) {
          const { values } = await m.bookLoads.get();
          sum += values.find((v) => v.labels.kind === kind)?.value ?? 0;
        }
        return sum;
      };
      expect(await counted("keyframe")).toBe(loads.length);
      expect(await counted("changes")).toBeGreaterThan(0);
    },
  );
});

async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("timed out");
}
