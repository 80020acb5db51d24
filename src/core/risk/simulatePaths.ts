/** Runs paths `from .. to - 1` of a set of shock paths through the full cascade, one `simulate` each. */
import type { Book } from "../book/book.js";
import { type CascadeWorkspace, createCascadeWorkspace } from "../propagator/runCascade.js";
import { simulate } from "../propagator/simulate.js";
import { type ShockPaths, shockOfPath } from "./drawShockPaths.js";
import { type PathOutcome, pathOutcome } from "./pathMeasures.js";

export interface SimulatePathsOptions {
  readonly maxRounds?: number;
  readonly workspace?: CascadeWorkspace;
}

/** @throws UserInputError when a path shocks an asset the book does not hold. */
export function simulatePaths(
  book: Book,
  paths: ShockPaths,
  from: number,
  to: number,
  options: SimulatePathsOptions = {},
): PathOutcome[] {
  const workspace = options.workspace ?? createCascadeWorkspace(book);
  const marketIds = book.markets.ids;
  const out: PathOutcome[] = [];
  for (let k = from; k < to; k++) {
    const report = simulate(book, shockOfPath(paths, k), {
      workspace,
      ...(options.maxRounds === undefined ? {} : { maxRounds: options.maxRounds }),
    });
    out.push(pathOutcome(report, marketIds));
  }
  return out;
}
