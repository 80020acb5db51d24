/**
 * Use case: the Monte Carlo VaR of a book, its paths simulated in parallel by a path pool (or
 * in this thread without one). The shocks are drawn here, once, so the report is the same for
 * any number of threads.
 */
import { compileBook } from "../../core/book/compileBook.js";
import { createCascadeWorkspace } from "../../core/propagator/runCascade.js";
import type { PathOutcome } from "../../core/risk/pathMeasures.js";
import { simulatePaths } from "../../core/risk/simulatePaths.js";
import {
  aggregateValueAtRisk,
  type ValueAtRiskReport,
  type ValueAtRiskRun,
  valueAtRiskPaths,
} from "../../core/risk/valueAtRisk.js";
import { type BookSource, loadBookSource } from "./bookSource.js";
import type { PathPool } from "./pathPool.js";

/** Paths simulated between two progress reports in this thread. */
const PROGRESS_CHUNK = 50;

/**
 * @param onProgress told how many paths are done, for a progress bar; the report does not depend on it.
 * @throws UserInputError for a bad model, horizon or path count, or a source that does not load.
 */
export async function runValueAtRisk(
  source: BookSource,
  run: ValueAtRiskRun,
  pool?: PathPool,
  onProgress?: (done: number, total: number) => void,
): Promise<ValueAtRiskReport> {
  const paths = valueAtRiskPaths(run);
  if (pool !== undefined)
    return aggregateValueAtRisk(run, paths, await pool.run(source, paths, run.maxRounds, onProgress));
  const book = compileBook(await loadBookSource(source));
  const workspace = createCascadeWorkspace(book);
  const options = run.maxRounds === undefined ? { workspace } : { workspace, maxRounds: run.maxRounds };
  const outcomes: PathOutcome[] = [];
  for (let from = 0; from < paths.count; from += PROGRESS_CHUNK) {
    const to = Math.min(paths.count, from + PROGRESS_CHUNK);
    outcomes.push(...simulatePaths(book, paths, from, to, options));
    onProgress?.(to, paths.count);
  }
  return aggregateValueAtRisk(run, paths, outcomes);
}
