/** Timing and memory helpers of the benchmark (wall clock, medians, GC, RSS). */
import { performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

export interface Timing<T> {
  /** Median over the runs, milliseconds. */
  readonly medianMs: number;
  readonly runs: number;
  /** What the last run returned (so the work is not optimised away and can be checked). */
  readonly last: T;
}

/** Runs `fn` `runs` times (at least once) and returns the median wall time. */
export async function timeRuns<T>(runs: number, fn: () => T | Promise<T>): Promise<Timing<T>> {
  const times: number[] = [];
  let last: T | undefined;
  for (let i = 0; i < Math.max(1, runs); i++) {
    const start = performance.now();
    last = await fn();
    times.push(performance.now() - start);
  }
  return { medianMs: median(times), runs: times.length, last: last as T };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

let gcFunction: (() => void) | undefined;

/** A full garbage collection, so heap figures show what is retained (exposes V8's gc on first use). */
export function collectGarbage(): void {
  if (gcFunction === undefined) {
    setFlagsFromString("--expose-gc");
    gcFunction = runInNewContext("gc") as () => void;
  }
  gcFunction();
}

export const MB = 1024 * 1024;

/**
 * JS heap plus off-heap memory (the book's typed arrays live there), resident set now, and the
 * process's peak resident set so far, in MB.
 */
export function memoryMb(): { heapUsedMb: number; rssMb: number; peakRssMb: number } {
  const usage = process.memoryUsage();
  // resourceUsage().maxRSS is in kilobytes.
  return {
    heapUsedMb: (usage.heapUsed + usage.external) / MB,
    rssMb: usage.rss / MB,
    peakRssMb: (process.resourceUsage().maxRSS * 1024) / MB,
  };
}
