/** Use case: the critical shock of one asset (smallest drop that cascades, smallest that makes bad debt). */
import type { Book } from "../core/book/book.js";
import { compileBook } from "../core/book/compileBook.js";
import { type CriticalShock, findCriticalShock } from "../core/curve/findCriticalShock.js";
import type { Snapshot } from "../core/snapshot/snapshot.js";

export interface RunCriticalShockInput {
  readonly snapshot: Snapshot;
  /** `compileBook(snapshot)`, when the caller has it; else compiled here. */
  readonly book?: Book | undefined;
  readonly asset: string;
  readonly maxRounds?: number;
}

export function runCriticalShock(input: RunCriticalShockInput): CriticalShock {
  const book = input.book ?? compileBook(input.snapshot);
  return findCriticalShock(book, input.asset, {
    ...(input.maxRounds === undefined ? {} : { maxRounds: input.maxRounds }),
  });
}
