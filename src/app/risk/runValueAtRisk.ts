/**
 * Use case: the Monte Carlo VaR of a book, its paths simulated in parallel by a path pool (or
 * in this thread without one). The shocks are drawn here, once, so the report is the same for
 * any number of threads.
 */
import { compileBook } from "../../core/book/compileBook.js";
import { simulatePaths } from "../../core/risk/simulatePaths.js";
import {
  aggregateValueAtRisk,
  type ValueAtRiskReport,
  type ValueAtRiskRun,
  valueAtRiskPaths,
} from "../../core/risk/valueAtRisk.js";
import { type BookSource, loadBookSource } from "./bookSource.js";
import type { PathPool } from "./pathPool.js";

/** @throws UserInputError for a bad model, horizon or path count, or a source that does not load. */
export async function runValueAtRisk(
  source: BookSource,
  run: ValueAtRiskRun,
  pool?: PathPool,
): Promise<ValueAtRiskReport> {
  const paths = valueAtRiskPaths(run);
  if (pool !== undefined)
    return aggregateValueAtRisk(run, paths, await pool.run(source, paths, run.maxRounds));
  const book = compileBook(await loadBookSource(source));
  const outcomes = simulatePaths(
    book,
    paths,
    0,
    paths.count,
    run.maxRounds === undefined ? {} : { maxRounds: run.maxRounds },
  );
  return aggregateValueAtRisk(run, paths, outcomes);
}
