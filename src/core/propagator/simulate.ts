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
  type ProtocolTotals,
  REPORT_SCHEMA,
} from "../report/cascadeReport.js";
import { type CascadeFlow, createFlowGroups, type FlowGroups, recordKeyRank } from "../report/flowGroups.js";
import { type CascadeRun, type CascadeWorkspace, pricesRecord, runCascade } from "./runCascade.js";
import { checkMaxRounds, DEFAULT_MAX_ROUNDS, shockFactors } from "./shockFactors.js";

export interface SimulateOptions {
  /** Default 50. */
  readonly maxRounds?: number;
  /** Reuse the per-run arrays of earlier simulations on the same book (`createCascadeWorkspace(book)`). */
  readonly workspace?: CascadeWorkspace;
}

/** The report's totals: the run's sums over its liquidations, by protocol for every protocol the book has. */
function totalsOf(book: Book, run: CascadeRun): CascadeTotals {
  const { tally } = run;
  const present = new Set<Protocol>();
  for (let m = 0; m < book.markets.count; m++) present.add(PROTOCOL_BY_CODE[book.markets.protocol[m]!]!);
  const byProtocol: Partial<Record<Protocol, ProtocolTotals>> = {};
  for (const p of PROTOCOLS) {
    if (!present.has(p)) continue;
    const code = PROTOCOL_BY_CODE.indexOf(p);
    byProtocol[p] = {
      liquidations: tally.liquidationsBy[code]!,
      repaidUsd: tally.repaidUsdBy[code]!,
      badDebtUsd: tally.badDebtUsdBy[code]!,
    };
  }
  return {
    liquidations: tally.liquidations,
    positionsLiquidated: run.positionsLiquidated,
    repaidUsd: tally.repaidUsd,
    badDebtUsd: tally.badDebtUsd,
    stranded: run.stranded,
    strandedDebtUsd: run.strandedDebtUsd,
    ...(book.markets.anyHeld ? { blocked: run.blocked, blockedDebtUsd: run.blockedDebtUsd } : {}),
    byProtocol,
  };
}

/** The report of `run`, a run of `shock` on `book`, with its `liquidations` as recorded. */
function reportOf(book: Book, shock: Readonly<Record<string, number>>, run: CascadeRun): CascadeReport {
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
    totals: totalsOf(book, run),
    initialPrices: pricesRecord(book, initial),
    finalPrices: pricesRecord(book, run.finalPriceUsd),
    amplification,
  };
}

function runOf(
  book: Book,
  shock: Readonly<Record<string, number>>,
  options: SimulateOptions,
  recordLiquidations: boolean,
  flowGroups?: FlowGroups,
): CascadeRun {
  const factors = shockFactors(book, shock);
  const maxRounds = checkMaxRounds(options.maxRounds ?? DEFAULT_MAX_ROUNDS);
  return runCascade(book, factors, {
    maxRounds,
    recordLiquidations,
    countStranded: true,
    ...(options.workspace === undefined ? {} : { workspace: options.workspace }),
    ...(flowGroups === undefined ? {} : { flowGroups }),
  });
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
  return reportOf(book, shock, runOf(book, shock, options, true));
}

/**
 * A simulation without per-liquidation records: its report with `liquidations` empty, and what
 * the records would have given, computed as the liquidations are applied (the same floats).
 */
export interface TalliedCascade {
  readonly report: CascadeReport;
  /** Liquidations whose trigger came from another protocol's trades (records with `crossProtocol`). */
  readonly crossProtocolLiquidations: number;
  /** The liquidations grouped into flows, as `flowsOfRecords` groups the records. */
  readonly flows: CascadeFlow[];
}

/**
 * `simulate` without building a record per liquidation: for a caller that needs the totals, the
 * rounds and the flows but not the records (a monitoring cycle's scenarios).
 * @throws UserInputError as `simulate` does.
 */
export function simulateTallied(
  book: Book,
  shock: Readonly<Record<string, number>>,
  options: SimulateOptions = {},
): TalliedCascade {
  const { ids, priceUsd } = book.assets;
  const groups = createFlowGroups(priceUsd, recordKeyRank(ids));
  const run = runOf(book, shock, options, false, groups);
  return {
    report: reportOf(book, shock, run),
    crossProtocolLiquidations: run.tally.crossProtocol,
    flows: groups.flows(ids, PROTOCOL_BY_CODE),
  };
}
