/**
 * How far one cascade report is from another, in the figures a reader weighs a model by:
 * liquidations, repaid USD and bad debt USD, per round and in total, and which positions one side
 * liquidated and the other did not. Pure; used to measure model version 1's assumptions against the
 * chain (where `compareCascades` would only say "disagree").
 */
import type { CascadeReport } from "../report/cascadeReport.js";

/** The figures of one side of a round (or of the whole cascade). */
export interface CascadeFigures {
  readonly liquidations: number;
  readonly repaidUsd: number;
  readonly badDebtUsd: number;
}

export interface RoundDifference {
  readonly round: number;
  /** Zeros when that side has no such round. */
  readonly predicted: CascadeFigures;
  readonly realized: CascadeFigures;
}

export interface CascadeDifference {
  /** Every round either side has, in order. */
  readonly rounds: readonly RoundDifference[];
  readonly totals: {
    readonly predicted: CascadeFigures & { readonly rounds: number };
    readonly realized: CascadeFigures & { readonly rounds: number };
  };
  /** Positions (market, account) liquidated on one side only, in any round. */
  readonly onlyPredicted: number;
  readonly onlyRealized: number;
  /** `predicted / realized - 1` of the totals (0 when both are 0; Infinity when only realized is 0). */
  readonly relative: CascadeFigures;
}

const NONE: CascadeFigures = { liquidations: 0, repaidUsd: 0, badDebtUsd: 0 };

function ratioMinusOne(predicted: number, realized: number): number {
  if (realized === 0) return predicted === 0 ? 0 : Number.POSITIVE_INFINITY;
  return predicted / realized - 1;
}

function positions(report: CascadeReport): Set<string> {
  return new Set(report.liquidations.map((l) => `${l.market} ${l.account.toLowerCase()}`));
}

/** `predicted` against `realized`: per round, totals, the positions only one side liquidated. */
export function summarizeCascadeDifference(
  predicted: CascadeReport,
  realized: CascadeReport,
): CascadeDifference {
  const roundCount = Math.max(predicted.rounds.length, realized.rounds.length);
  const figures = (report: CascadeReport, k: number): CascadeFigures => {
    const round = report.rounds[k];
    return round === undefined
      ? NONE
      : { liquidations: round.liquidations, repaidUsd: round.repaidUsd, badDebtUsd: round.badDebtUsd };
  };
  const rounds = Array.from({ length: roundCount }, (_, k) => ({
    round: k + 1,
    predicted: figures(predicted, k),
    realized: figures(realized, k),
  }));
  const total = (report: CascadeReport) => ({
    liquidations: report.totals.liquidations,
    repaidUsd: report.totals.repaidUsd,
    badDebtUsd: report.totals.badDebtUsd,
    rounds: report.rounds.length,
  });
  const predictedSet = positions(predicted);
  const realizedSet = positions(realized);
  const totals = { predicted: total(predicted), realized: total(realized) };
  return {
    rounds,
    totals,
    onlyPredicted: [...predictedSet].filter((key) => !realizedSet.has(key)).length,
    onlyRealized: [...realizedSet].filter((key) => !predictedSet.has(key)).length,
    relative: {
      liquidations: ratioMinusOne(totals.predicted.liquidations, totals.realized.liquidations),
      repaidUsd: ratioMinusOne(totals.predicted.repaidUsd, totals.realized.repaidUsd),
      badDebtUsd: ratioMinusOne(totals.predicted.badDebtUsd, totals.realized.badDebtUsd),
    },
  };
}
