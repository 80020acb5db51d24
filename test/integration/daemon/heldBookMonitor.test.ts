/**
 * The monitor that keeps its compiled book against one that parses and compiles every snapshot
 * from scratch: fed the same random sequence of blocks (changed, opened and closed positions;
 * moved prices, oracles and market parameters; a new asset; invalid fields; a full re-read),
 * each cycle's results are byte-identical, a refused block fails both cycles with a
 * SnapshotError, and most blocks are applied in place. Once with a source that hands over whole
 * documents (the indexers: unchanged positions keep their objects), once with a source that hands
 * over its changes; and with the tasks on worker threads that keep their book too (sent the
 * changes). SEED reproduces a failure.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createMonitorMetrics } from "../../../src/adapters/metrics/monitorMetrics.js";
import { createMemoryResultStore } from "../../../src/adapters/store/memoryResultStore.js";
import { createCoreEngine } from "../../../src/app/daemon/coreEngine.js";
import { type CycleTaskRunner, threadPoolTaskRunner } from "../../../src/app/daemon/cycleTaskRunner.js";
import type { SnapshotSource, SyncedBook } from "../../../src/app/daemon/daemonPorts.js";
import { daemonSettings } from "../../../src/app/daemon/daemonSettings.js";
import { createHeldBook } from "../../../src/app/daemon/heldBook.js";
import { createSingleProcessMonitor } from "../../../src/app/daemon/singleProcessMonitor.js";
import { alertsSectionSchema } from "../../../src/config/schema/alerts.js";
import { scenariosSectionSchema } from "../../../src/config/schema/scenarios.js";
import { SnapshotError } from "../../../src/core/errors.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import { randomBlockSequence, SEQUENCE_SCENARIOS } from "../../helpers/randomBlockSequence.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const SEED = Number(process.env.SEED ?? 20261202);
const STEPS = 24;

const settings = daemonSettings(
  scenariosSectionSchema.parse(SEQUENCE_SCENARIOS),
  alertsSectionSchema.parse({ rules: [] }),
  120,
);

function monitorOf(source: SnapshotSource, held: boolean, taskRunner?: CycleTaskRunner) {
  const store = createMemoryResultStore();
  const wholeCompiles: string[] = [];
  const monitor = createSingleProcessMonitor({
    engine: createCoreEngine(),
    source,
    store,
    metrics: createMonitorMetrics({ processMetrics: false }),
    sinks: [],
    settings,
    logger: {
      info: (fields, message) => {
        if (message === "book compiled whole") wholeCompiles.push(String(fields.mode));
      },
      warn: () => undefined,
      error: () => undefined,
    },
    retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    startVersion: 0,
    nowMs: () => Date.UTC(2026, 11, 1),
    elapsedMs: () => 0,
    ...(held ? { heldBook: createHeldBook() } : {}),
    ...(taskRunner === undefined ? {} : { taskRunner }),
  });
  return { monitor, store, wholeCompiles };
}

/** Runs one cycle; its results as JSON, or the SnapshotError that refused it. */
async function cycleOf(run: ReturnType<typeof monitorOf>): Promise<string | SnapshotError> {
  try {
    await run.monitor.runCycle(new AbortController().signal);
  } catch (error) {
    if (error instanceof SnapshotError) return error;
    throw error;
  }
  const results = await run.store.getResults();
  // Scenario durations are the worker threads' own clock: not part of the comparison.
  return JSON.stringify({ ...results, version: undefined }, (key, value) =>
    key === "durationSeconds" ? undefined : value,
  );
}

describe("single-process monitor holding its book", () => {
  it.each([
    ["document", "main thread"],
    ["changes", "main thread"],
    ["document", "worker threads"],
  ] as const)(
    "gives the results of compiling every snapshot from scratch, from a source of %s, tasks on the %s",
    async (kind, where) => {
      const runner = where === "worker threads" ? threadPoolTaskRunner(2) : undefined;
      cleanups.push(async () => runner?.close());
      for (const seed of [SEED, SEED + 1]) {
        const sequence = randomBlockSequence(seed, STEPS);
        let at = 0;
        const wholeAsked: number[] = [];
        const scratch = monitorOf(
          {
            sync: async () => {
              const block = sequence[at]!;
              if (block.parsed instanceof SnapshotError) throw block.parsed;
              const snapshot = parseSnapshot(structuredClone(block.document));
              return { snapshot, takenAtMs: 1, blocks: snapshot.source.blocks, heads: { "1": at } };
            },
            close: async () => undefined,
          },
          false,
        );
        const held = monitorOf(
          {
            sync: async () => {
              throw new Error("the held monitor syncs its book");
            },
            syncBook: async (_signal, whole): Promise<SyncedBook> => {
              const block = sequence[at]!;
              if (whole) wholeAsked.push(at);
              const facts = { takenAtMs: 1, heads: { "1": at } };
              return kind === "document" || whole
                ? { kind: "document", document: block.document, ...facts }
                : { kind: "changes", changes: block.changes, ...facts };
            },
            close: async () => undefined,
          },
          true,
          runner,
        );
        let refused = 0;
        for (at = 0; at < sequence.length; at++) {
          const expected = await cycleOf(scratch);
          const actual = await cycleOf(held);
          if (expected instanceof SnapshotError) {
            refused++;
            expect(actual, `block ${at}: ${expected.message}`).toBeInstanceOf(SnapshotError);
            // From a document, the error names the document's own path, as a full parse does.
            if (kind === "document") expect((actual as SnapshotError).message).toBe(expected.message);
            continue;
          }
          expect(actual, `block ${at}`).toBe(expected);
        }
        expect(refused, "the sequence refuses some blocks").toBeGreaterThan(0);
        const whole = held.wholeCompiles.length;
        // The first block, new assets and refusals compile whole; most blocks are applied in place.
        expect(whole, held.wholeCompiles.join(",")).toBeLessThan(sequence.length / 2);
        if (kind === "document") expect(held.wholeCompiles).toContain("rebuild:size");
        else expect(wholeAsked.length).toBe(1 + refused);
      }
    },
  );
});
