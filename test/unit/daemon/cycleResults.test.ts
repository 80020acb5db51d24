/**
 * What a cycle computes once instead of twice gives what computing it again gives: the book
 * summary and the positions at risk read off the compiled book equal the walk of the snapshot's
 * position objects (records listing their assets in any order, zero amounts, Aave V4 positions
 * with their own configuration, positions at risk with equal health factors), and a cycle whose tasks share their runs (a curve point taken
 * from a scenario, runs shared in one thread) equals every task run on its own; a scenario run
 * without per-liquidation records gives the outcome and flows its records give. Generated books,
 * several seeds; SEED reproduces a failure.
 */
import { describe, expect, it } from "vitest";
import { generateBook } from "../../../bench/generateBook.js";
import { generateBookV2 } from "../../../bench/generateBookV2.js";
import { cascadeFlows } from "../../../src/adapters/store/cascadeFlows.js";
import { computeResults } from "../../../src/app/daemon/computeResults.js";
import { createCoreEngine } from "../../../src/app/daemon/coreEngine.js";
import {
  assembleResults,
  isDerived,
  planCycle,
  runCycleTask,
  scenarioOutcome,
} from "../../../src/app/daemon/cycleTasks.js";
import { positionsAtRisk, summarizeBook } from "../../../src/app/daemon/summarizeBook.js";
import { summarizeCompiledBook } from "../../../src/app/daemon/summarizeCompiledBook.js";
import { compileSnapshot } from "../../../src/core/book/compiledSnapshot.js";
import { createPrng } from "../../../src/core/random/createPrng.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import { cycleSettings } from "../../integration/daemon/fixtures/pipelineHarness.js";

const SEED = Number(process.env.SEED ?? 41);

/** The document with each record's assets listed in a random order, and some zero amounts added. */
function reshuffled(document: unknown, seed: number): unknown {
  const prng = createPrng(seed);
  const doc = document as { positions: Array<Record<string, unknown>>; assets: Array<{ id: string }> };
  const ids = doc.assets.map((a) => a.id);
  const shuffle = (record: Record<string, number>): Record<string, number> => {
    const entries = Object.entries(record);
    for (let i = entries.length - 1; i > 0; i--) {
      const j = Math.floor(prng.next() * (i + 1));
      [entries[i], entries[j]] = [entries[j]!, entries[i]!];
    }
    return Object.fromEntries(entries);
  };
  return {
    ...doc,
    positions: doc.positions.map((p) => {
      const collateral = { ...(p.collateral as Record<string, number>) };
      // A zero amount of an asset the market lists (any asset the position holds already is one).
      const held = Object.keys(collateral);
      if (held.length > 0 && prng.next() < 0.2) collateral[held[0]!] = 0;
      return { ...p, collateral: shuffle(collateral), debt: shuffle(p.debt as Record<string, number>) };
    }),
    assets: doc.assets.filter((a) => ids.includes(a.id)),
  };
}

/** The document with a copy of every third position under another account: equal health factors. */
function withTies(document: unknown): unknown {
  const doc = document as { positions: Array<{ account: string }> };
  const copies = doc.positions
    .filter((_, i) => i % 3 === 0)
    // Generated accounts end in their index (8 hex digits, far below 0xf0000000): these are new.
    .map((p, k) => ({ ...p, account: `${p.account.slice(0, 34)}${(0xf0000000 + k).toString(16)}` }));
  return { ...doc, positions: [...doc.positions, ...copies] };
}

describe("the book summary read off the compiled book", () => {
  it.each([
    ["v1", SEED],
    ["v1", SEED + 1],
    ["v2", SEED],
    ["v2", SEED + 1],
  ] as const)("equals the walk of the position objects (%s book, seed %i)", (kind, seed) => {
    const document =
      kind === "v1" ? generateBook({ positions: 4000, seed }) : generateBookV2({ positions: 4000, seed });
    const tied = withTies(document);
    for (const doc of [document, reshuffled(document, seed), tied]) {
      const { snapshot, book } = compileSnapshot(parseSnapshot(structuredClone(doc)));
      for (const maxHealthFactor of [1, 1.1, 2]) {
        const walked = {
          book: summarizeBook(snapshot),
          positionsAtRisk: positionsAtRisk(snapshot, maxHealthFactor),
        };
        const read = summarizeCompiledBook(snapshot, book, maxHealthFactor);
        if (maxHealthFactor === 2) expect(read.positionsAtRisk.length).toBeGreaterThan(0);
        if (doc === tied && maxHealthFactor === 2) {
          // Equal health factors among the positions at risk: their order is the walk's too.
          const factors = read.positionsAtRisk.map((p) => p.healthFactor);
          expect(factors.some((f, k) => k > 0 && f === factors[k - 1])).toBe(true);
        }
        expect(JSON.stringify(read)).toBe(JSON.stringify(walked));
      }
    }
  });
});

describe("a cycle that shares its runs", () => {
  it.each([SEED, SEED + 1])("gives the results of every task run on its own (seed %i)", (seed) => {
    const engine = createCoreEngine();
    const snapshot = parseSnapshot(generateBook({ positions: 3000, seed }));
    const synced = { snapshot, takenAtMs: 1, blocks: { "1": 1 }, heads: { "1": 1 } };
    const clock = { nowMs: () => 5, elapsedMs: () => 0 };
    const shared = computeResults(engine, synced, cycleSettings, { version: 1, ...clock });
    const tasks = planCycle(snapshot, cycleSettings);
    expect(tasks.some(isDerived)).toBe(true);
    // Each task alone, on a book compiled for it, derived curve points run as curve points.
    const alone = tasks.map((task) =>
      runCycleTask(createCoreEngine(), engine.compile(snapshot), snapshot, task, clock.elapsedMs),
    );
    expect(JSON.stringify(shared)).toBe(JSON.stringify(assembleResults(synced, tasks, alone, 1, 5)));
  });
});

describe("a cycle's scenarios, run without records", () => {
  it.each([
    ["v1", SEED],
    ["v2", SEED + 1],
  ] as const)("give the outcome and flows of the records (%s book, seed %i)", (kind, seed) => {
    const engine = createCoreEngine();
    const snapshot = parseSnapshot(
      kind === "v1" ? generateBook({ positions: 3000, seed }) : generateBookV2({ positions: 3000, seed }),
    );
    const book = engine.compile(snapshot);
    const scenarios = planCycle(snapshot, cycleSettings).filter((t) => t.kind === "scenario");
    expect(scenarios.length).toBeGreaterThan(1);
    for (const task of scenarios) {
      const result = runCycleTask(engine, book, snapshot, task, () => 0);
      const report = engine.simulate(book, task.shock, task.maxRounds);
      expect(report.liquidations.length).toBeGreaterThan(0);
      const crossProtocol = report.liquidations.filter((l) => l.crossProtocol).length;
      expect(result.kind === "scenario" && JSON.stringify([result.outcome, result.cascade])).toBe(
        JSON.stringify([
          scenarioOutcome(task.name, report, crossProtocol, 0),
          { scenario: task.name, flows: cascadeFlows(report) },
        ]),
      );
    }
  });
});
