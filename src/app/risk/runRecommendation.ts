/**
 * Use case: the most permissive value of one risk parameter that meets a VaR objective. Every
 * value is a what-if (an override, with borrowers keeping their health factor unless told
 * otherwise) run through the same seeded VaR paths.
 */
import { meetsObjective, type Objective, objectiveValue } from "../../core/risk/objective.js";
import { type Recommendation, recommendParameter } from "../../core/risk/recommendParameter.js";
import {
  type ResolvedParameter,
  type RiskParameter,
  resolveRiskParameter,
} from "../../core/risk/riskParameter.js";
import type { ValueAtRiskRun } from "../../core/risk/valueAtRisk.js";
import type { Snapshot } from "../../core/snapshot/snapshot.js";
import { type BookSource, withOverrides } from "./bookSource.js";
import type { PathPool } from "./pathPool.js";
import { runValueAtRisk } from "./runValueAtRisk.js";

export const RECOMMENDATION_SCHEMA = "cascade-recommendation/1";

export interface RecommendationInput {
  readonly source: BookSource;
  /** The source's snapshot (to resolve the parameter and its current value). */
  readonly snapshot: Snapshot;
  readonly parameter: RiskParameter;
  readonly objective: Objective;
  readonly run: ValueAtRiskRun;
  /** Strict end, permissive end; default the parameter's. */
  readonly range?: readonly [number, number];
  readonly points?: number;
  readonly tolerance?: number;
  /** `keep-health` (default): borrowers of the market keep their health factor when a threshold moves. */
  readonly positions?: "keep-health" | "fixed";
  readonly pool?: PathPool;
}

export interface RecommendationReport extends Recommendation {
  readonly schema: typeof RECOMMENDATION_SCHEMA;
  readonly parameter: ResolvedParameter;
  readonly objective: string;
  readonly positions: "keep-health" | "fixed";
  readonly range: { readonly strict: number; readonly permissive: number };
  readonly atCurrent: { readonly value: number; readonly objective: number; readonly meets: boolean };
  readonly pathCount: number;
  readonly horizonHours: number;
  readonly seed: number;
}

export async function runRecommendation(input: RecommendationInput): Promise<RecommendationReport> {
  const parameter = resolveRiskParameter(input.snapshot, input.parameter);
  const positions = input.positions ?? "keep-health";
  const keep = positions === "keep-health" && parameter.weighsHealth ? [parameter.market] : [];
  const evaluate = async (value: number): Promise<number> => {
    const source = withOverrides(input.source, [`${parameter.overridePrefix}${value}`], keep);
    return objectiveValue(input.objective, await runValueAtRisk(source, input.run, input.pool));
  };
  const [strict, permissive] = input.range ?? [parameter.strict, parameter.permissive];
  const recommendation = await recommendParameter({
    strict,
    permissive,
    evaluate,
    meets: (v) => meetsObjective(input.objective, v),
    ...(input.points === undefined ? {} : { points: input.points }),
    ...(input.tolerance === undefined ? {} : { tolerance: input.tolerance }),
  });
  const current = await evaluate(parameter.current);
  return {
    schema: RECOMMENDATION_SCHEMA,
    parameter,
    objective: input.objective.text,
    positions,
    range: { strict, permissive },
    atCurrent: {
      value: parameter.current,
      objective: current,
      meets: meetsObjective(input.objective, current),
    },
    pathCount: input.run.pathCount,
    horizonHours: input.run.horizonHours,
    seed: input.run.seed,
    ...recommendation,
  };
}
