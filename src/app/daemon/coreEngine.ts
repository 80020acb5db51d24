/**
 * The engine port over the pure core: `compileBook` once per snapshot, then `simulate`,
 * `liquidationCurve` and `findCriticalShock` on the compiled book.
 */
import type { Book } from "../../core/book/book.js";
import { compileBook } from "../../core/book/compileBook.js";
import { findCriticalShock } from "../../core/curve/findCriticalShock.js";
import { liquidationCurve } from "../../core/curve/liquidationCurve.js";
import { simulate } from "../../core/propagator/simulate.js";
import type { CascadeEngine, EngineBook } from "./daemonPorts.js";

export function createCoreEngine(): CascadeEngine {
  const asBook = (book: EngineBook): Book => book as Book;
  return {
    compile: (snapshot) => compileBook(snapshot),
    simulate: (book, shock, maxRounds) => simulate(asBook(book), shock, { maxRounds }),
    curve: (book, asset, shocks, maxRounds) => liquidationCurve(asBook(book), asset, shocks, { maxRounds }),
    criticalShock(book, asset, maxRounds) {
      const found = findCriticalShock(asBook(book), asset, { maxRounds });
      return { asset, cascadeShock: found.criticalShock, badDebtShock: found.badDebtShock };
    },
  };
}
