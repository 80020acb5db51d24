/**
 * One simulation of docs/cascade-model.md section 4: a shock, then rounds of liquidations and
 * trades until a round liquidates nothing or `maxRounds` rounds ran. Pure and deterministic.
 */
import type { Book } from "../book/book.js";
import { PROTOCOL_BY_CODE } from "../book/book.js";
import { PROTOCOLS, type Protocol } from "../ids.js";
import {
  type CascadeReport,
  type CascadeTotals,
  type LiquidationRecord,
  type ProtocolTotals,
  REPORT_SCHEMA,
} from "../report/cascadeReport.js";
import { type CascadeRun, type CascadeWorkspace, pricesRecord, runCascade } from "./runCascade.js";
import { checkMaxRounds, DEFAULT_MAX_ROUNDS, shockFactors } from "./shockFactors.js";

export interface SimulateOptions {
  /** Default 50. */
  readonly maxRounds?: number;
  /** Reuse the per-run arrays of earlier simulations on the same book (`createCascadeWorkspace(book)`). */
  readonly workspace?: CascadeWorkspace;
}

function totalsOf(book: Book, liquidations: readonly LiquidationRecord[], run: CascadeRun): CascadeTotals {
  const present = new Set<Protocol>();
  for (let m = 0; m < book.markets.count; m++) present.add(PROTOCOL_BY_CODE[book.markets.protocol[m]!]!);
  const byProtocol: Partial<
    Record<Protocol, { liquidations: number; repaidUsd: number; badDebtUsd: number }>
  > = {};
  for (const p of PROTOCOLS)
    if (present.has(p)) byProtocol[p] = { liquidations: 0, repaidUsd: 0, badDebtUsd: 0 };
  let repaidUsd = 0;
  let badDebtUsd = 0;
  for (const l of liquidations) {
    repaidUsd += l.repaidUsd;
    badDebtUsd += l.badDebtUsd;
    const t = byProtocol[l.protocol];
    if (t !== undefined) {
      t.liquidations++;
      t.repaidUsd += l.repaidUsd;
      t.badDebtUsd += l.badDebtUsd;
    }
  }
  return {
    liquidations: liquidations.length,
    positionsLiquidated: run.positionsLiquidated,
    repaidUsd,
    badDebtUsd,
    stranded: run.stranded,
    strandedDebtUsd: run.strandedDebtUsd,
    ...(book.markets.anyHeld ? { blocked: run.blocked, blockedDebtUsd: run.blockedDebtUsd } : {}),
    byProtocol: byProtocol as Partial<Record<Protocol, ProtocolTotals>>,
  };
}

/**
 * Simulates `shock` (`{WETH: -0.2}` = WETH down 20%) on `book`.
 * @throws UserInputError for an unknown shocked asset, a shock `<= -1`, or a bad `maxRounds`.
 */
export function simulate(
  book: Book,
  shock: Readonly<Record<string, number>>,
  options: SimulateOptions = {},
): CascadeReport {
  const factors = shockFactors(book, shock);
  const maxRounds = checkMaxRounds(options.maxRounds ?? DEFAULT_MAX_ROUNDS);
  const run = runCascade(book, factors, {
    maxRounds,
    recordLiquidations: true,
    countStranded: true,
    ...(options.workspace === undefined ? {} : { workspace: options.workspace }),
  });
  const initial = book.assets.priceUsd;
  const amplification: Record<string, number> = {};
  for (const [asset, s] of Object.entries(shock)) {
    if (!(s < 0)) continue;
    const a = book.assets.indexOf.get(asset)!;
    const p0 = initial[a]!;
    const shockDrop = 1 - run.afterShockPriceUsd[a]! / p0;
    // A shock too small to change the float price (or undone by a leader's move) has no ratio.
    if (shockDrop > 0) amplification[asset] = (1 - run.finalPriceUsd[a]! / p0) / shockDrop;
  }
  return {
    schema: REPORT_SCHEMA,
    shock: { ...shock },
    converged: run.converged,
    rounds: run.rounds,
    liquidations: run.liquidations,
    totals: totalsOf(book, run.liquidations, run),
    initialPrices: pricesRecord(book, initial),
    finalPrices: pricesRecord(book, run.finalPriceUsd),
    amplification,
  };
}
