/**
 * The engine port over the pure core: `compileBook` once per snapshot, `simulate` per shock.
 * The critical-shock search scans the shock in 1% steps and bisects the first bracket to 1e-4
 * (model section 4); a faster search from the core can replace it behind the same port.
 */
import type { CriticalShockOutcome } from "../../core/alerts/monitorView.js";
import type { Book } from "../../core/book/book.js";
import { compileBook } from "../../core/book/compileBook.js";
import { simulate } from "../../core/propagator/simulate.js";
import type { CascadeReport } from "../../core/report/cascadeReport.js";
import type { CascadeEngine, EngineBook } from "./daemonPorts.js";

const SCAN_STEP = 0.01;
const PRECISION = 1e-4;
const MAX_MAGNITUDE = 0.99;

const isCascade = (r: CascadeReport): boolean =>
  r.rounds.filter((round) => round.liquidations > 0).length >= 2;
const hasBadDebt = (r: CascadeReport): boolean => r.totals.badDebtUsd > 0;

/** Smallest magnitude in (0, 0.99] where `test` holds: scan, then bisect the first bracket. */
function smallestShock(
  run: (s: number) => CascadeReport,
  test: (r: CascadeReport) => boolean,
): number | null {
  let previous = 0;
  for (let m = SCAN_STEP; m <= MAX_MAGNITUDE + 1e-12; m += SCAN_STEP) {
    const magnitude = Math.min(m, MAX_MAGNITUDE);
    if (test(run(-magnitude))) {
      let lo = previous;
      let hi = magnitude;
      while (hi - lo > PRECISION) {
        const mid = (lo + hi) / 2;
        if (test(run(-mid))) hi = mid;
        else lo = mid;
      }
      return -hi;
    }
    previous = magnitude;
  }
  return null;
}

export function createCoreEngine(): CascadeEngine {
  const asBook = (book: EngineBook): Book => book as Book;
  return {
    compile: (snapshot) => compileBook(snapshot),
    simulate: (book, shock, maxRounds) => simulate(asBook(book), shock, { maxRounds }),
    criticalShock(book, asset, maxRounds): CriticalShockOutcome {
      const run = (s: number) => simulate(asBook(book), { [asset]: s }, { maxRounds });
      return {
        asset,
        cascadeShock: smallestShock(run, isCascade),
        badDebtShock: smallestShock(run, hasBadDebt),
      };
    },
  };
}
