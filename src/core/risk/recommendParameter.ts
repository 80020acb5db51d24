/**
 * The most permissive value of a risk parameter that still meets an objective, by a grid over
 * the parameter's range then bisection, on any evaluation of the objective (the app layer's
 * is a VaR run with the same seeded paths at every value: common random numbers).
 *
 * It relies on the objective's statistic never falling as the parameter gets more permissive.
 * The grid checks that: every pair of neighbours where the statistic falls by more than
 * `1e-9` relative is reported, and `monotone` says whether there was none. The answer is the
 * end of the passing run of grid points that starts at the strict end, refined by bisection
 * within the step where it first fails, to `tolerance`. With a monotone statistic, a stricter
 * bound never gives a more permissive answer.
 */
import { UserInputError } from "../errors.js";

export interface RecommendationPoint {
  readonly value: number;
  readonly objective: number;
  readonly meets: boolean;
}

export interface Recommendation {
  /** The most permissive value found that meets the objective; null when even the strict end fails. */
  readonly recommended: number | null;
  /** The grid, strict end first, plus the bisection points, in evaluation order. */
  readonly curve: readonly RecommendationPoint[];
  readonly bisection: readonly RecommendationPoint[];
  readonly monotone: boolean;
  /** Grid neighbours where the statistic fell as the parameter got more permissive. */
  readonly violations: ReadonlyArray<{ readonly from: number; readonly to: number; readonly fall: number }>;
  /** Width of the final bracket (0 when the whole range passes or fails at the strict end). */
  readonly resolution: number;
}

export interface RecommendOptions {
  /** The strict end of the range (e.g. the lowest threshold), then the permissive end. */
  readonly strict: number;
  readonly permissive: number;
  /** Grid points, ends included (default 11). */
  readonly points?: number;
  /** Bisect until the bracket is at most this wide (default 1e-3). */
  readonly tolerance?: number;
  readonly evaluate: (value: number) => Promise<number> | number;
  readonly meets: (objective: number) => boolean;
}

const round12 = (x: number): number => Math.round(x * 1e12) / 1e12;

export async function recommendParameter(options: RecommendOptions): Promise<Recommendation> {
  const points = options.points ?? 11;
  const tolerance = options.tolerance ?? 1e-3;
  const { strict, permissive } = options;
  if (!(Number.isSafeInteger(points) && points >= 2 && points <= 1000))
    throw new UserInputError(`points must be an integer from 2 to 1000, got ${points}`);
  if (!(tolerance > 0)) throw new UserInputError(`tolerance must be above 0, got ${tolerance}`);
  if (!(Number.isFinite(strict) && Number.isFinite(permissive) && strict !== permissive))
    throw new UserInputError(`the range needs two different finite ends, got ${strict} and ${permissive}`);
  const at = async (value: number): Promise<RecommendationPoint> => {
    const objective = await options.evaluate(value);
    return { value, objective, meets: options.meets(objective) };
  };
  const curve: RecommendationPoint[] = [];
  for (let k = 0; k < points; k++)
    curve.push(await at(round12(strict + ((permissive - strict) * k) / (points - 1))));
  const violations = [];
  for (let k = 1; k < points; k++) {
    const fall = curve[k - 1]!.objective - curve[k]!.objective;
    if (fall > 1e-9 * Math.max(1, Math.abs(curve[k - 1]!.objective)))
      violations.push({ from: curve[k - 1]!.value, to: curve[k]!.value, fall });
  }
  const firstFail = curve.findIndex((p) => !p.meets);
  const bisection: RecommendationPoint[] = [];
  let recommended: number | null;
  let resolution = 0;
  if (firstFail === 0) recommended = null;
  else if (firstFail < 0) recommended = permissive;
  else {
    let pass = curve[firstFail - 1]!.value;
    let fail = curve[firstFail]!.value;
    while (Math.abs(fail - pass) > tolerance) {
      const mid = at(round12((pass + fail) / 2));
      const point = await mid;
      bisection.push(point);
      if (point.meets) pass = point.value;
      else fail = point.value;
    }
    recommended = pass;
    resolution = Math.abs(fail - pass);
  }
  return { recommended, curve, bisection, monotone: violations.length === 0, violations, resolution };
}
