/**
 * Runs in a worker thread of the path pool: holds one compiled book (and its workspace) and
 * simulates ranges of shock paths on it.
 */

import { parentPort } from "node:worker_threads";
import type { Book } from "../../core/book/book.js";
import { compileBook } from "../../core/book/compileBook.js";
import { UserInputError } from "../../core/errors.js";
import { type CascadeWorkspace, createCascadeWorkspace } from "../../core/propagator/runCascade.js";
import type { PathOutcome } from "../../core/risk/pathMeasures.js";
import { simulatePaths } from "../../core/risk/simulatePaths.js";
import type { ThreadFailure } from "../threads/requestThread.js";
import { type BookSource, loadBookSource } from "./bookSource.js";

export type PathThreadRequest =
  | { readonly type: "load"; readonly id: number; readonly source: BookSource }
  | {
      readonly type: "paths";
      readonly id: number;
      readonly assets: readonly string[];
      /** Shocks of paths `from .. from + count - 1`, `assets.length` per path. */
      readonly shocks: Float64Array;
      readonly from: number;
      readonly maxRounds?: number;
    };

export type PathThreadResponse =
  | { readonly id: number; readonly ok: true; readonly outcomes?: readonly PathOutcome[] }
  | ThreadFailure;

let book: { readonly book: Book; readonly workspace: CascadeWorkspace } | undefined;

async function handle(request: PathThreadRequest): Promise<PathThreadResponse> {
  if (request.type === "load") {
    book = undefined;
    const compiled = compileBook(await loadBookSource(request.source));
    book = { book: compiled, workspace: createCascadeWorkspace(compiled) };
    return { id: request.id, ok: true };
  }
  if (book === undefined) throw new Error("no book loaded");
  const count = request.shocks.length / Math.max(1, request.assets.length);
  const paths = { assets: request.assets, count, shocks: request.shocks };
  const outcomes = simulatePaths(book.book, paths, 0, count, {
    workspace: book.workspace,
    ...(request.maxRounds === undefined ? {} : { maxRounds: request.maxRounds }),
  });
  return { id: request.id, ok: true, outcomes };
}

parentPort?.on("message", (request: PathThreadRequest) => {
  handle(request).then(
    (response) => parentPort?.postMessage(response),
    (error: unknown) =>
      parentPort?.postMessage({
        id: request.id,
        ok: false,
        message: error instanceof Error ? error.message : String(error),
        userError: error instanceof UserInputError,
      } satisfies PathThreadResponse),
  );
});
