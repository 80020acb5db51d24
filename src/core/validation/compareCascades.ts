/**
 * Predicted vs realized cascade (two `cascade-report/2`), round by round: which (market, account)
 * pairs were liquidated, what was repaid and seized, bad debt, prices after each round and the
 * cross-protocol attribution, and the profit rule's effect (positions skipped as unprofitable each
 * round, stranded at the end). Pure.
 */
import type { CascadeReport, LiquidationRecord, RoundSummary } from "../report/cascadeReport.js";

/**
 * Amounts, USD values and prices must agree to this relative difference, or within the token units
 * the number has been through on chain when that is larger (`RoundingAllowance`): chain amounts
 * are integers, rounded once per liquidation, so a few-dollar bad debt, or the remainder of a
 * position liquidated before, can differ by more than 1e-6 relative and by no more than its units.
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

/**
 * A position liquidated on one side only that sits on a boundary (allowed, reported): its health
 * factor within 1e-9 of 1 (`health`), or its liquidation's profit after gas within 1e-9 of the
 * repaid USD from zero, so the profit rule could go either way (`profit`).
 */
export interface BoundaryCase {
  readonly round: number;
  readonly market: string;
  readonly account: string;
  readonly kind: "health" | "profit";
  readonly healthFactor: number;
  /** The liquidating side's profit after gas, USD (a `profit` case). */
  readonly profitUsd?: number;
  readonly liquidatedBy: "predicted" | "realized";
}

/** Which boundary, if any, a one-sided liquidation sits on. */
function boundaryOf(liquidation: {
  readonly healthFactor: number;
  readonly repaidUsd: number;
  readonly profitUsd?: number;
}): BoundaryCase["kind"] | undefined {
  if (Math.abs(liquidation.healthFactor - 1) <= BOUNDARY_TOLERANCE) return "health";
  const profit = liquidation.profitUsd;
  if (profit !== undefined && Math.abs(profit) <= BOUNDARY_TOLERANCE * Math.max(liquidation.repaidUsd, 1))
    return "profit";
  return undefined;
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
  /** Every oracle's report the round decided at, by oracle id. */
  readonly oraclePrices: Readonly<Record<string, number>>;
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
    oraclePrices: summary.oraclePrices,
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
  /** What each position's liquidations so far have rounded on chain (the k-th liquidation: k roundings). */
  const carried = new Map<string, CarriedRounding>();
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
    // Each liquidation's allowance (its position's roundings so far, this one included); a round's
    // USD totals may differ by the sum of its liquidations' USD allowances.
    const allowances = new Map<string, RoundingAllowance>();
    for (const side of [realized.liquidations, predicted.liquidations])
      for (const l of side)
        if (l.round === round && !allowances.has(key(l)))
          allowances.set(key(l), carryRounding(carried, key(l), l, unitOf));
    let roundUnitUsd = 0;
    let roundBadDebtUnitUsd = 0;
    for (const allowance of allowances.values()) {
      roundUnitUsd += allowance.usd;
      roundBadDebtUnitUsd += allowance.badDebtUsd;
    }
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
      number("round.badDebtUsd", p.badDebtUsd, r.badDebtUsd, {}, roundBadDebtUnitUsd);
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
      // Market prices after the round's trades; every oracle's report the round decided at.
      for (const [label, left, right] of [
        ["price", p.prices, r.prices],
        ["oracle", p.oraclePrices, r.oraclePrices],
      ] as const) {
        for (const id of new Set([...Object.keys(left), ...Object.keys(right)])) {
          const a = left[id];
          const b = right[id];
          if (a === undefined || b === undefined)
            diffs.push({ round, field: `${label}.${id}`, predicted: a ?? null, realized: b ?? null });
          else number(`${label}.${id}`, a, b);
        }
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
        const kind = boundaryOf(one);
        if (kind !== undefined) {
          boundary.push({
            round,
            ...where,
            kind,
            healthFactor: one.healthFactor,
            ...(kind === "profit" && one.profitUsd !== undefined ? { profitUsd: one.profitUsd } : {}),
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
      const allowance = allowances.get(id)!;
      number(
        "healthFactor",
        a.healthFactor,
        b.healthFactor,
        where,
        healthFactorAllowance(allowance, Math.max(a.healthFactor, b.healthFactor), a, b),
      );
      for (const [field, left, right, usd] of [
        ["repaid", a.repaid, b.repaid, b.repaidUsd],
        ["seized", a.seized, b.seized, b.seizedUsd],
      ] as const) {
        for (const asset of new Set([...Object.keys(left), ...Object.keys(right)])) {
          const amount = right[asset] ?? left[asset] ?? 0;
          const priceUsd = amount > 0 ? usd / amount : 0;
          number(
            `${field}.${asset}`,
            left[asset] ?? 0,
            right[asset] ?? 0,
            where,
            amountAllowance(allowance, unitOf(asset), priceUsd),
          );
        }
      }
      number("repaidUsd", a.repaidUsd, b.repaidUsd, where, allowance.usd);
      number("seizedUsd", a.seizedUsd, b.seizedUsd, where, allowance.usd);
      number("badDebtUsd", a.badDebtUsd, b.badDebtUsd, where, allowance.badDebtUsd);
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

/** What the liquidations of one position so far have been through on chain. */
interface CarriedRounding {
  count: number;
  /** USD of one token unit of each collateral asset they seized, at the latest seize's price. */
  readonly collateralUnitUsd: Map<string, number>;
  /** The same for each debt asset they repaid. */
  readonly debtUnitUsd: Map<string, number>;
}

/**
 * The allowance of a position's k-th liquidation: each liquidation rounds the amounts it moves to
 * whole token units once, and the position carries every earlier rounding into its later rounds.
 */
interface RoundingAllowance {
  /** k: the liquidations of this position so far, this one included. */
  readonly roundings: number;
  /** USD of one unit of the largest-unit asset those liquidations moved. */
  readonly unitUsd: number;
  /** `roundings × unitUsd`: the allowance of the liquidation's repaid and seized USD. */
  readonly usd: number;
  /**
   * `2 × roundings × unitUsd`: bad debt is what the debt (k roundings) leaves after the
   * collateral (k roundings) is gone, so it has been through both.
   */
  readonly badDebtUsd: number;
  /** Σ one unit of each collateral asset seized so far, USD; the same for the debt repaid. */
  readonly collateralUnitsUsd: number;
  readonly debtUnitsUsd: number;
}

/** Counts liquidation `l` of position `id` and returns its allowance (prices: `l`'s own, USD ÷ amount). */
function carryRounding(
  carried: Map<string, CarriedRounding>,
  id: string,
  l: LiquidationRecord,
  unitOf: (asset: string) => number,
): RoundingAllowance {
  let c = carried.get(id);
  if (c === undefined) {
    c = { count: 0, collateralUnitUsd: new Map(), debtUnitUsd: new Map() };
    carried.set(id, c);
  }
  c.count++;
  for (const [amounts, usd, units] of [
    [l.seized, l.seizedUsd, c.collateralUnitUsd],
    [l.repaid, l.repaidUsd, c.debtUnitUsd],
  ] as const) {
    for (const asset in amounts) {
      const amount = amounts[asset]!;
      if (amount > 0) units.set(asset, (unitOf(asset) * usd) / amount);
    }
  }
  let unitUsd = 0;
  let collateralUnitsUsd = 0;
  let debtUnitsUsd = 0;
  for (const u of c.collateralUnitUsd.values()) {
    unitUsd = Math.max(unitUsd, u);
    collateralUnitsUsd += u;
  }
  for (const u of c.debtUnitUsd.values()) {
    unitUsd = Math.max(unitUsd, u);
    debtUnitsUsd += u;
  }
  return {
    roundings: c.count,
    unitUsd,
    usd: c.count * unitUsd,
    badDebtUsd: 2 * c.count * unitUsd,
    collateralUnitsUsd,
    debtUnitsUsd,
  };
}

/**
 * An amount of an asset may differ by k of its own units, or by k units of the position's
 * largest-unit asset converted at the liquidation's price (repay and seize are tied by the price:
 * a unit off in the collateral is `unitUsd / priceUsd` of the debt asset).
 */
function amountAllowance(allowance: RoundingAllowance, unit: number, priceUsd: number): number {
  const converted = priceUsd > 0 ? allowance.unitUsd / priceUsd : 0;
  return allowance.roundings * Math.max(unit, converted);
}

/**
 * A health factor `h = C / D` (weighted collateral over debt, USD) read after k − 1 earlier
 * liquidations of the position carries their roundings: a unit `δc` of a collateral asset moves it
 * by at most `δc p / D` (its weight is at most 1), a unit `δd` of a debt asset by `h δd p / D`. So
 * `|Δh| ≤ (k − 1) (Σ δc p + h Σ δd p) / D` over the assets the position's liquidations so far
 * moved, at their latest prices, with `D` at least the debt this liquidation repays or writes off
 * (`repaidUsd + badDebtUsd`). 0 for a first liquidation, whose health the chain and the model read
 * from the same position.
 */
function healthFactorAllowance(
  allowance: RoundingAllowance,
  healthFactor: number,
  a: LiquidationRecord,
  b: LiquidationRecord,
): number {
  const debtUsd = Math.max(a.repaidUsd + a.badDebtUsd, b.repaidUsd + b.badDebtUsd);
  if (!(debtUsd > 0)) return 0;
  return (
    ((allowance.roundings - 1) * (allowance.collateralUnitsUsd + healthFactor * allowance.debtUnitsUsd)) /
    debtUsd
  );
}
