/** Use case: the liquidation curve of one asset over a grid of shocks. */
import type { Book } from "../core/book/book.js";
import { compileBook } from "../core/book/compileBook.js";
import { type CurvePoint, liquidationCurve, shockGrid } from "../core/curve/liquidationCurve.js";
import type { Snapshot } from "../core/snapshot/snapshot.js";

export interface RunLiquidationCurveInput {
  readonly snapshot: Snapshot;
  /** `compileBook(snapshot)`, when the caller has it; else compiled here. */
  readonly book?: Book | undefined;
  readonly asset: string;
  /** Grid `from, from + step, …, to` (fractions; default 0 to -0.5 by -0.01 at the CLI). */
  readonly from: number;
  readonly to: number;
  readonly step: number;
  readonly maxRounds?: number;
  /** Called after each part of the grid (about 20 parts) with the points done and the total. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface LiquidationCurveDocument {
  readonly asset: string;
  readonly points: CurvePoint[];
}

/** @throws UserInputError for an unknown asset, a grid that does not lead to `to`, or a shock <= -1. */
export function runLiquidationCurve(input: RunLiquidationCurveInput): LiquidationCurveDocument {
  const shocks = shockGrid(input.from, input.to, input.step);
  const book = input.book ?? compileBook(input.snapshot);
  const options = input.maxRounds === undefined ? {} : { maxRounds: input.maxRounds };
  if (input.onProgress === undefined) {
    return { asset: input.asset, points: liquidationCurve(book, input.asset, shocks, options) };
  }
  // Points are independent: computing the grid in parts gives the same points, with progress.
  const points: CurvePoint[] = [];
  const part = Math.max(1, Math.ceil(shocks.length / 20));
  for (let i = 0; i < shocks.length; i += part) {
    points.push(...liquidationCurve(book, input.asset, shocks.slice(i, i + part), options));
    input.onProgress(points.length, shocks.length);
  }
  return { asset: input.asset, points };
}
