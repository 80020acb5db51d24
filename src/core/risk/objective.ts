/**
 * A risk objective on a VaR report, e.g. `var99.badDebtUsd<=1e6`: a statistic (`mean`, `p95`,
 * `p99`, `es99`; `var95`/`var99` name the percentiles) of a measure (`badDebtUsd`,
 * `liquidatedDebtUsd`, `strandedDebtUsd`), a comparison (`<=` or `<`) and a USD bound.
 */
import { UserInputError } from "../errors.js";
import { MEASURES, type Measure } from "./pathMeasures.js";
import type { LossStatistics } from "./quantile.js";
import type { MeasureStatistics } from "./valueAtRisk.js";

export interface Objective {
  readonly text: string;
  readonly statistic: keyof LossStatistics;
  readonly measure: Measure;
  readonly strict: boolean;
  readonly boundUsd: number;
}

const STATISTICS: Readonly<Record<string, keyof LossStatistics>> = {
  mean: "mean",
  p95: "p95",
  var95: "p95",
  p99: "p99",
  var99: "p99",
  es99: "es99",
};

/** @throws UserInputError naming what is wrong and what would be right. */
export function parseObjective(text: string): Objective {
  const expected = "expected <statistic>.<measure><=<USD>, e.g. var99.badDebtUsd<=1e6";
  const match = /^\s*([A-Za-z0-9]+)\.([A-Za-z]+)\s*(<=|<)\s*(\S+)\s*$/.exec(text);
  if (match === null) throw new UserInputError(`objective "${text}": ${expected}`);
  const [, stat = "", measure = "", op, bound = ""] = match;
  const statistic = STATISTICS[stat];
  if (statistic === undefined)
    throw new UserInputError(
      `objective "${text}": unknown statistic "${stat}" (${Object.keys(STATISTICS).join(", ")})`,
    );
  if (!(MEASURES as readonly string[]).includes(measure))
    throw new UserInputError(`objective "${text}": unknown measure "${measure}" (${MEASURES.join(", ")})`);
  const boundUsd = Number(bound);
  if (!Number.isFinite(boundUsd))
    throw new UserInputError(`objective "${text}": bound "${bound}" is not a number`);
  return { text, statistic, measure: measure as Measure, strict: op === "<", boundUsd };
}

/** The objective's statistic in a report. */
export function objectiveValue(objective: Objective, report: MeasureStatistics): number {
  return report[objective.measure][objective.statistic];
}

export function meetsObjective(objective: Objective, value: number): boolean {
  return objective.strict ? value < objective.boundUsd : value <= objective.boundUsd;
}
