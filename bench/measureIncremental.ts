/**
 * The incremental book against a full parse and compile of the same book, side by side in one
 * process: runs alternate between `parseSnapshot + compileBook` of the whole document and
 * `applySnapshotChanges` of three blocks touching `touched` positions: one that only moves
 * balances (the common block, written in place), one that also opens, closes and reshapes
 * positions (written into spare arrays), and that one with prices, oracles and market parameters
 * moved. The ratios of the medians are the figures that count; peak RSS is the process's while it
 * holds the book.
 */
import { readFileSync } from "node:fs";
import { compileBook } from "../src/core/book/compileBook.js";
import { applySnapshotChanges, compileSnapshot } from "../src/core/book/compiledSnapshot.js";
import { createPrng } from "../src/core/random/createPrng.js";
import { parseSnapshot } from "../src/core/snapshot/parseSnapshot.js";
import { randomBalanceMoves } from "../test/helpers/randomBalanceMoves.js";
import { randomSnapshotChanges } from "../test/helpers/randomSnapshotChanges.js";
import type { BenchRow } from "./benchSuite.js";
import { collectGarbage, median, memoryMb } from "./measure.js";

/** The target: one block's update at most 2% of a full parse and compile (a block that moves balances). */
const MAX_UPDATE_SHARE = 0.02;

export function measureIncremental(
  bookFile: string,
  positions: number,
  runs: number,
  touched: number,
  emit: (row: BenchRow) => void,
  log: (line: string) => void,
): void {
  log(`incremental: ${positions} positions, blocks touching ${touched}`);
  const document: unknown = JSON.parse(readFileSync(bookFile, "utf8"));
  let current = compileSnapshot(parseSnapshot(document));
  collectGarbage();
  const held = memoryMb();
  const prng = createPrng(positions);
  // Two untimed blocks first: the first updates allocate the storage later ones reuse (steady state).
  for (let warm = 0; warm < 2; warm++) {
    const options = { touched, headerChance: 0, invalidChance: 0 };
    current = applySnapshotChanges(
      current,
      randomSnapshotChanges(prng, current.snapshot, options, -1 - warm),
    ).compiled;
  }
  const full: number[] = [];
  const balancesOnly: number[] = [];
  let balancesInPlace = 0;
  const positionsOnly: number[] = [];
  const withHeader: number[] = [];
  const modes = { positions: new Set<string>(), header: new Set<string>() };
  for (let run = 0; run < Math.max(3, runs); run++) {
    // Each timing starts from a collected heap: neither pays for the other's garbage.
    collectGarbage();
    let start = performance.now();
    const book = compileBook(parseSnapshot(document));
    full.push(performance.now() - start);
    if (book.positions.count !== positions) throw new Error("the full compile lost positions");
    // No position repaid in full nor borrowing anew: one that enters or leaves the liquidation index
    // has it built again (see docs/incremental-book.md).
    const moves = randomBalanceMoves(prng, current.snapshot, { touched, zeroChance: 0 });
    start = performance.now();
    const moved = applySnapshotChanges(current, moves);
    balancesOnly.push(performance.now() - start);
    if (moved.inPlace) balancesInPlace++;
    current = moved.compiled;
    for (const [headerChance, times] of [
      [0, positionsOnly],
      [1, withHeader],
    ] as const) {
      const changes = randomSnapshotChanges(
        prng,
        current.snapshot,
        { touched, headerChance, invalidChance: 0 },
        run,
      );
      start = performance.now();
      const applied = applySnapshotChanges(current, changes);
      times.push(performance.now() - start);
      modes[headerChance === 0 ? "positions" : "header"].add(applied.mode);
      current = applied.compiled;
    }
  }
  const fullMs = median(full);
  const row = { suite: "incremental", positions, runs: full.length } as const;
  emit({ ...row, measure: "parseSnapshot + compileBook", value: fullMs, unit: "ms" });
  const balancesMs = median(balancesOnly);
  emit({
    ...row,
    measure: `block moving balances of ${touched} positions: apply changes`,
    value: balancesMs,
    unit: "ms",
  });
  emit({
    ...row,
    measure: `block moving balances of ${touched} positions: update / full, %`,
    value: (100 * balancesMs) / fullMs,
    unit: "count",
    target: { max: 100 * MAX_UPDATE_SHARE },
    note: `written in place in ${balancesInPlace} of ${balancesOnly.length} runs`,
  });
  const positionsMs = median(positionsOnly);
  const headerMs = median(withHeader);
  emit({
    ...row,
    measure: `block of ${touched} positions changed, opened, closed: apply changes`,
    value: positionsMs,
    unit: "ms",
  });
  emit({
    ...row,
    measure: `block of ${touched} positions changed, opened, closed: update / full, %`,
    value: (100 * positionsMs) / fullMs,
    unit: "count",
    note: `modes: ${[...modes.positions].join(", ")}; positions written into spare arrays (a copy of the book)`,
  });
  emit({
    ...row,
    measure: `block of ${touched} positions + prices, oracles, gas: apply changes`,
    value: headerMs,
    unit: "ms",
  });
  emit({
    ...row,
    measure: `block of ${touched} positions + prices, oracles, gas: update / full, %`,
    value: (100 * headerMs) / fullMs,
    unit: "count",
    note: `modes: ${[...modes.header].join(", ")}; the liquidation index is rebuilt when oracle reports move`,
  });
  emit({
    suite: "incremental",
    positions,
    measure: "peak RSS holding the book",
    value: held.peakRssMb,
    unit: "MB",
  });
  emit({
    suite: "incremental",
    positions,
    measure: "heap + external holding the book",
    value: held.heapUsedMb,
    unit: "MB",
  });
}
