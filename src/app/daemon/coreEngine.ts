/**
 * The engine port over the pure core: `compileBook` once per snapshot, then `simulate`,
 * `liquidationCurve` and `findCriticalShock` on the compiled book.
 */
import type { Book } from "../../core/book/book.js";
import { compileBook } from "../../core/book/compileBook.js";
import { findCriticalShock } from "../../core/curve/findCriticalShock.js";
import { liquidationCurve } from "../../core/curve/liquidationCurve.js";
import { type CascadeWorkspace, createCascadeWorkspace } from "../../core/propagator/runCascade.js";
import { simulate, simulateTallied } from "../../core/propagator/simulate.js";
import { cascadeDrivers } from "../../core/risk/cascadeDrivers.js";
import { leverageClustering } from "../../core/risk/leverageClustering.js";
import { simulatePaths } from "../../core/risk/simulatePaths.js";
import type { CascadeEngine, EngineBook } from "./daemonPorts.js";
import { positionsAtRisk, summarizeBook } from "./summarizeBook.js";
import { summarizeCompiledBook } from "./summarizeCompiledBook.js";

export function createCoreEngine(): CascadeEngine {
  const asBook = (book: EngineBook): Book => book as Book;
  // One set of per-run arrays per book, reused by its scenarios (~40 MB per million positions).
  const workspaces = new WeakMap<Book, CascadeWorkspace>();
  const workspaceOf = (book: Book): CascadeWorkspace => {
    let workspace = workspaces.get(book);
    if (workspace === undefined) {
      workspace = createCascadeWorkspace(book);
      workspaces.set(book, workspace);
    }
    return workspace;
  };
  return {
    compile: (snapshot) => compileBook(snapshot),
    summary: (snapshot, book, maxHealthFactor, inBookOrder) =>
      inBookOrder
        ? summarizeCompiledBook(snapshot, asBook(book), maxHealthFactor)
        : { book: summarizeBook(snapshot), positionsAtRisk: positionsAtRisk(snapshot, maxHealthFactor) },
    simulate: (book, shock, maxRounds) =>
      simulate(asBook(book), shock, { maxRounds, workspace: workspaceOf(asBook(book)) }),
    scenario: (book, shock, maxRounds) =>
      simulateTallied(asBook(book), shock, { maxRounds, workspace: workspaceOf(asBook(book)) }),
    curve: (book, asset, shocks, maxRounds, runs) =>
      liquidationCurve(asBook(book), asset, shocks, {
        maxRounds,
        workspace: workspaceOf(asBook(book)),
        runs,
      }),
    criticalShock(book, asset, maxRounds, runs) {
      const found = findCriticalShock(asBook(book), asset, {
        maxRounds,
        workspace: workspaceOf(asBook(book)),
        runs,
      });
      return { asset, cascadeShock: found.criticalShock, badDebtShock: found.badDebtShock };
    },
    drivers: (snapshot, book, shock, topPositions, maxRounds) =>
      cascadeDrivers(snapshot, shock, { topPositions, maxRounds }, asBook(book)),
    paths: (book, paths, maxRounds) =>
      simulatePaths(asBook(book), paths, 0, paths.count, { maxRounds, workspace: workspaceOf(asBook(book)) }),
    clustering: (snapshot, book, asset, step, maxRounds) =>
      leverageClustering(snapshot, asset, { step, maxRounds }, asBook(book)),
  };
}
