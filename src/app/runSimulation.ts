/** Use case: one cascade simulation of a validated snapshot. */
import type { Book } from "../core/book/book.js";
import { compileBook } from "../core/book/compileBook.js";
import { simulate } from "../core/propagator/simulate.js";
import type { CascadeReport } from "../core/report/cascadeReport.js";
import type { Snapshot } from "../core/snapshot/snapshot.js";

export interface RunSimulationInput {
  readonly snapshot: Snapshot;
  /** `compileBook(snapshot)`, when the caller has it; else compiled here. */
  readonly book?: Book | undefined;
  /** `{WETH: -0.2}`: WETH down 20%. */
  readonly shock: Readonly<Record<string, number>>;
  /** Default 50 (docs/cascade-model.md section 4). */
  readonly maxRounds?: number;
}

/** Compiles the snapshot and simulates the shock. @throws UserInputError for a bad shock or maxRounds. */
export function runSimulation(input: RunSimulationInput): CascadeReport {
  const book = input.book ?? compileBook(input.snapshot);
  return simulate(book, input.shock, input.maxRounds === undefined ? {} : { maxRounds: input.maxRounds });
}
