/**
 * Predicted vs realized cascade (two `cascade-report/2`), round by round: which (market, account)
 * pairs were liquidated, what was repaid and seized, bad debt, prices after each round and the
 * cross-protocol attribution, and the profit rule's effect (positions skipped as unprofitable each
 * round, stranded at the end). Pure.
 */
import type { CascadeReport, LiquidationRecord, RoundSummary } from "../report/cascadeReport.js";

/**
 * Amounts, USD values and prices must agree to this relative difference, or to one token unit
 * (`10^-decimals` of the asset; for a USD value, one unit of the liquidation's assets at its own
 * price) when that is larger: chain amounts are integers, so a few-dollar bad debt can differ by
 * more than 1e-6 relative and still by less than one unit.
 */
export const VALUE_TOLERANCE = 1e-6;
/** A position this close to health factor 1 may be liquidated on one side only. */
export const BOUNDARY_TOLERANCE = 1e-9;
/** Values both below this (token units, USD) are zero on both sides. */
const ZERO = 1e-9;

/** One disagreement, readable as a line: round, account, field, predicted, realized. */
export interface ValidationDiff {
  readonly round: number;
  readonly market?: string;
  readonly account?: string;
  readonly field: string;
  readonly predicted: number | string | null;
  readonly realized: number | string | null;
  /** Relative difference for numbers. */
  readonly relative?: number;
}

/** A position liquidated on one side only whose health factor is within 1e-9 of 1 (allowed, reported). */
export interface BoundaryCase {
  readonly round: number;
  readonly market: string;
  readonly account: string;
  readonly healthFactor: number;
  readonly liquidatedBy: "predicted" | "realized";
}

export interface RoundSide {
  readonly liquidations: number;
  readonly repaidUsd: number;
  readonly soldUsd: number;
  readonly badDebtUsd: number;
  readonly crossProtocol: number;
  /** Liquidatable positions skipped because the liquidation would not pay, and their debt. */
  readonly unprofitable: number;
  readonly unprofitableDebtUsd: number;
  readonly prices: Readonly<Record<string, number>>;
}

export interface RoundComparison {
  readonly round: number;
  readonly predicted?: RoundSide;
  readonly realized?: RoundSide;
  /** Largest relative difference of the round's amounts and prices (0 when one side is missing). */
  readonly maxRelative: number;
}

export interface CascadeComparison {
  /** No diff: identical sets (boundary cases aside), values within `VALUE_TOLERANCE`. */
  readonly agree: boolean;
  readonly rounds: readonly RoundComparison[];
  readonly diffs: readonly ValidationDiff[];
  readonly boundary: readonly BoundaryCase[];
  /** Largest relative difference of any compared number. */
  readonly maxRelative: number;
  /** Where that largest difference is (undefined when every number agrees exactly). */
  readonly worst?: ValidationDiff;
  /** Liquidations compared on both sides. */
  readonly matched: number;
}

/** `|a − b| / max(|a|, |b|)`; 0 when both are below `ZERO`. */
export function relativeDifference(a: number, b: number): number {
  const scale = Math.max(Math.abs(a), Math.abs(b));
  if (scale < ZERO) return 0;
  return Math.abs(a - b) / scale;
}

const key = (l: { market: string; account: string }): string => `${l.market}|${l.account.toLowerCase()}`;

function sideOf(summary: RoundSummary, records: readonly LiquidationRecord[]): RoundSide {
  return {
    liquidations: summary.liquidations,
    repaidUsd: summary.repaidUsd,
    soldUsd: summary.soldUsd,
    badDebtUsd: summary.badDebtUsd,
    crossProtocol: records.filter((l) => l.round === summary.round && l.crossProtocol).length,
    unprofitable: summary.unprofitable,
    unprofitableDebtUsd: summary.unprofitableDebtUsd,
    prices: summary.prices,
  };
}

/**
 * Compares a prediction with what happened. Every round present on one side only is a diff; within
 * a round, every liquidation present on one side only is a diff unless its health factor is within
 * `BOUNDARY_TOLERANCE` of 1; every compared number must be within `VALUE_TOLERANCE` relative.
 */
export function compareCascades(
  predicted: CascadeReport,
  realized: CascadeReport,
  options: {
    /** Token decimals by asset id (the snapshot's `decimals`); without them only the relative bound applies. */
    readonly decimals?: Readonly<Record<string, number>>;
  } = {},
): CascadeComparison {
  const decimals = options.decimals ?? {};
  const unitOf = (asset: string): number => {
    const d = decimals[asset];
    return d === undefined ? 0 : 10 ** -d;
  };
  /** One token unit of the liquidation's largest-unit asset, in USD at the liquidation's own prices. */
  const unitUsdOf = (l: LiquidationRecord): number => {
    let most = 0;
    for (const [amounts, usd] of [
      [l.repaid, l.repaidUsd],
      [l.seized, l.seizedUsd],
    ] as const) {
      for (const asset in amounts) {
        const amount = amounts[asset]!;
        if (amount > 0) most = Math.max(most, (unitOf(asset) * usd) / amount);
      }
    }
    return most;
  };
  const diffs: ValidationDiff[] = [];
  const boundary: BoundaryCase[] = [];
  const rounds: RoundComparison[] = [];
  let maxRelative = 0;
  let worst: ValidationDiff | undefined;
  let matched = 0;
  const roundCount = Math.max(predicted.rounds.length, realized.rounds.length);

  for (let index = 0; index < roundCount; index++) {
    const round = index + 1;
    const p = predicted.rounds[index];
    const r = realized.rounds[index];
    let roundMax = 0;
    const number = (
      field: string,
      a: number,
      b: number,
      where: { market?: string; account?: string } = {},
      unit = 0,
    ): void => {
      const relative = relativeDifference(a, b);
      roundMax = Math.max(roundMax, relative);
      const diff = { round, ...where, field, predicted: a, realized: b, relative };
      if (relative > (worst?.relative ?? 0)) worst = diff;
      if (relative > VALUE_TOLERANCE && Math.abs(a - b) > unit) diffs.push(diff);
    };
    // A round's USD totals may differ by one unit per liquidation of the round.
    let roundUnitUsd = 0;
    for (const l of realized.liquidations) if (l.round === round) roundUnitUsd += unitUsdOf(l);
    const text = (field: string, a: string, b: string, where: { market: string; account: string }): void => {
      if (a !== b) diffs.push({ round, ...where, field, predicted: a, realized: b });
    };

    if (p === undefined || r === undefined) {
      diffs.push({
        round,
        field: "round",
        predicted: p === undefined ? null : `${p.liquidations} liquidations`,
        realized: r === undefined ? null : `${r.liquidations} liquidations`,
      });
    } else {
      number("round.repaidUsd", p.repaidUsd, r.repaidUsd, {}, roundUnitUsd);
      number("round.soldUsd", p.soldUsd, r.soldUsd, {}, roundUnitUsd);
      number("round.badDebtUsd", p.badDebtUsd, r.badDebtUsd, {}, roundUnitUsd);
      // The profit rule: the same positions skipped as unprofitable, with the same debt.
      if (p.unprofitable !== r.unprofitable)
        diffs.push({
          round,
          field: "round.unprofitable",
          predicted: p.unprofitable,
          realized: r.unprofitable,
        });
      number("round.unprofitableDebtUsd", p.unprofitableDebtUsd, r.unprofitableDebtUsd);
      if (p.liquidityExhausted !== r.liquidityExhausted)
        diffs.push({
          round,
          field: "round.liquidityExhausted",
          predicted: String(p.liquidityExhausted),
          realized: String(r.liquidityExhausted),
        });
      for (const asset of new Set([...Object.keys(p.prices), ...Object.keys(r.prices)])) {
        const a = p.prices[asset];
        const b = r.prices[asset];
        if (a === undefined || b === undefined)
          diffs.push({ round, field: `price.${asset}`, predicted: a ?? null, realized: b ?? null });
        else number(`price.${asset}`, a, b);
      }
    }

    const model = new Map(predicted.liquidations.filter((l) => l.round === round).map((l) => [key(l), l]));
    const chain = new Map(realized.liquidations.filter((l) => l.round === round).map((l) => [key(l), l]));
    for (const id of [...new Set([...model.keys(), ...chain.keys()])].sort()) {
      const a = model.get(id);
      const b = chain.get(id);
      const one = (a ?? b)!;
      const where = { market: one.market, account: one.account.toLowerCase() };
      if (a === undefined || b === undefined) {
        if (Math.abs(one.healthFactor - 1) <= BOUNDARY_TOLERANCE) {
          boundary.push({
            round,
            ...where,
            healthFactor: one.healthFactor,
            liquidatedBy: a === undefined ? "realized" : "predicted",
          });
        } else {
          diffs.push({
            round,
            ...where,
            field: "liquidated",
            predicted: a === undefined ? "no" : `yes (hf ${a.healthFactor})`,
            realized: b === undefined ? "no" : `yes (hf ${b.healthFactor})`,
          });
        }
        continue;
      }
      matched++;
      number("healthFactor", a.healthFactor, b.healthFactor, where);
      for (const [field, left, right] of [
        ["repaid", a.repaid, b.repaid],
        ["seized", a.seized, b.seized],
      ] as const) {
        for (const asset of new Set([...Object.keys(left), ...Object.keys(right)])) {
          number(`${field}.${asset}`, left[asset] ?? 0, right[asset] ?? 0, where, unitOf(asset));
        }
      }
      const unitUsd = unitUsdOf(b);
      number("repaidUsd", a.repaidUsd, b.repaidUsd, where, unitUsd);
      number("seizedUsd", a.seizedUsd, b.seizedUsd, where, unitUsd);
      number("badDebtUsd", a.badDebtUsd, b.badDebtUsd, where, unitUsd);
      text("cause", a.cause, b.cause, where);
      text("sources", a.sources.join(","), b.sources.join(","), where);
      text("crossProtocol", String(a.crossProtocol), String(b.crossProtocol), where);
    }

    maxRelative = Math.max(maxRelative, roundMax);
    rounds.push({
      round,
      ...(p === undefined ? {} : { predicted: sideOf(p, predicted.liquidations) }),
      ...(r === undefined ? {} : { realized: sideOf(r, realized.liquidations) }),
      maxRelative: roundMax,
    });
  }
  if (predicted.totals.stranded !== realized.totals.stranded)
    diffs.push({
      round: roundCount,
      field: "totals.stranded",
      predicted: predicted.totals.stranded,
      realized: realized.totals.stranded,
    });
  {
    const relative = relativeDifference(predicted.totals.strandedDebtUsd, realized.totals.strandedDebtUsd);
    if (relative > VALUE_TOLERANCE)
      diffs.push({
        round: roundCount,
        field: "totals.strandedDebtUsd",
        predicted: predicted.totals.strandedDebtUsd,
        realized: realized.totals.strandedDebtUsd,
        relative,
      });
  }
  if (predicted.converged !== realized.converged) {
    diffs.push({
      round: roundCount,
      field: "converged",
      predicted: String(predicted.converged),
      realized: String(realized.converged),
    });
  }
  return {
    agree: diffs.length === 0,
    rounds,
    diffs,
    boundary,
    maxRelative,
    matched,
    ...(worst === undefined ? {} : { worst }),
  };
}
