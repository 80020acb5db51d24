/**
 * What a benchmark suite is: a name, and a run that measures and emits rows. A suite lives in
 * `bench/suites/<name>.ts` and is listed once in `bench/suites/index.ts`.
 */
export interface BenchContext {
  /** Book sizes (positions) to measure, ascending. */
  readonly sizes: readonly number[];
  /** PRNG seed of every generated book. */
  readonly seed: number;
  /** Runs whose median is reported, for a book of `positions` (fewer for big books). */
  readonly runsFor: (positions: number) => number;
  /** Progress line on stderr (the table goes to stdout). */
  readonly log: (line: string) => void;
}

/** One line of the results table. */
export interface BenchRow {
  readonly suite: string;
  /** Book size in positions, when the measure depends on it. */
  readonly positions?: number;
  readonly measure: string;
  /** Median of the runs (or the single value). */
  readonly value: number;
  readonly unit: "ms" | "MB" | "per s" | "count" | "%";
  readonly runs?: number;
  /** The row passes when `value <= max` (or `>= min`). */
  readonly target?: { readonly max: number } | { readonly min: number };
  readonly note?: string;
}

export interface BenchSuite {
  readonly name: string;
  readonly description: string;
  run(context: BenchContext, emit: (row: BenchRow) => void): Promise<void>;
}
