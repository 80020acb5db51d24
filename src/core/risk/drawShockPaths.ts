/**
 * Draws joint price shocks from a `ReturnModel`: `z = L e` with `L` the Cholesky factor of the
 * correlation and `e` independent standard normals (Box-Muller on the seeded PRNG); for
 * Student-t tails `z` is divided by `sqrt(W / df)` with one chi-square `W` per path (so the
 * assets share their fat tail, as crashes do) and scaled by `sqrt((df - 2) / df)` to unit
 * variance. Asset `i` then moves by
 *
 *   s_i = exp(sigma_i sqrt(h) z_i - sigma_i^2 h / 2) - 1        (h: horizon in years)
 *
 * The drift `-sigma^2 h / 2` makes the price a martingale under normal tails (E[1 + s] = 1): the
 * analysis measures risk, not a view on returns. Same model, horizon, count and seed: the same
 * shocks on every machine.
 */
import { UserInputError } from "../errors.js";
import { createPrng, type Prng } from "../random/createPrng.js";
import { choleskyFactor } from "./choleskyFactor.js";
import type { ReturnModel } from "./returnModel.js";

export interface ShockPaths {
  readonly assets: readonly string[];
  readonly count: number;
  /** Path `k`'s shock of asset `i` is `shocks[k * assets.length + i]` (a fraction, above -1). */
  readonly shocks: Float64Array;
}

/** Marsaglia-Tsang gamma(shape, 1) on the PRNG; shape < 1 by the boost `G(a) = G(a + 1) U^(1/a)`. */
function gamma(prng: Prng, shape: number): number {
  if (shape < 1) return gamma(prng, shape + 1) * (1 - prng.next()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = prng.normal();
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = 1 - prng.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Chi-square with `df` degrees of freedom: `2 gamma(df / 2)`. */
export function chiSquare(prng: Prng, df: number): number {
  return 2 * gamma(prng, df / 2);
}

/** @throws UserInputError when the model is inconsistent (see `checkReturnModel`) or `count`/`horizonYears` are bad. */
export function drawShockPaths(
  model: ReturnModel,
  horizonYears: number,
  count: number,
  seed: number,
): ShockPaths {
  checkReturnModel(model);
  if (!(Number.isFinite(horizonYears) && horizonYears > 0))
    throw new UserInputError(`horizon must be above 0 years, got ${horizonYears}`);
  if (!(Number.isSafeInteger(count) && count >= 1))
    throw new UserInputError(`paths must be an integer of at least 1, got ${count}`);
  const n = model.assets.length;
  const lower = choleskyFactor(
    model.correlation,
    `the correlation matrix (${model.correlationSource ?? "of the return model"})`,
    model.assets,
  );
  const prng = createPrng(seed);
  const shocks = new Float64Array(count * n);
  const e = new Float64Array(n);
  const scale = model.volatility.map((v) => v * Math.sqrt(horizonYears));
  const drift = model.volatility.map((v) => (v * v * horizonYears) / 2);
  const df = model.tails.kind === "student-t" ? model.tails.degreesOfFreedom : 0;
  for (let k = 0; k < count; k++) {
    for (let i = 0; i < n; i++) e[i] = prng.normal();
    const tailFactor = df > 0 ? Math.sqrt((df - 2) / chiSquare(prng, df)) : 1;
    for (let i = 0; i < n; i++) {
      const row = lower[i]!;
      let z = 0;
      for (let j = 0; j <= i; j++) z += row[j]! * e[j]!;
      // exp() > 0, so s > -1; the floor only guards against underflow at absurd volatilities.
      shocks[k * n + i] = Math.max(-0.999999, Math.exp(scale[i]! * z * tailFactor - drift[i]!) - 1);
    }
  }
  return { assets: model.assets, count, shocks };
}

/** Path `k` as a `{assetId: s}` shock (what `simulate --shock` and `simulate` take). */
export function shockOfPath(paths: ShockPaths, k: number): Record<string, number> {
  const out: Record<string, number> = {};
  const n = paths.assets.length;
  for (let i = 0; i < n; i++) out[paths.assets[i]!] = paths.shocks[k * n + i]!;
  return out;
}

/**
 * @throws UserInputError naming what is wrong: lengths that differ, a volatility that is not
 * a number >= 0, a correlation outside [-1, 1] or a diagonal not 1, degrees of freedom <= 2.
 */
export function checkReturnModel(model: ReturnModel): void {
  const n = model.assets.length;
  if (model.volatility.length !== n || model.correlation.length !== n)
    throw new UserInputError(
      `return model: ${n} assets but ${model.volatility.length} volatilities and ${model.correlation.length} correlation rows`,
    );
  if (new Set(model.assets).size !== n) throw new UserInputError("return model: an asset is listed twice");
  model.volatility.forEach((v, i) => {
    if (!(Number.isFinite(v) && v >= 0))
      throw new UserInputError(
        `volatility of ${model.assets[i]} must be a number >= 0 (0.8 = 80% a year), got ${v}`,
      );
  });
  model.correlation.forEach((row, i) => {
    row.forEach((r, j) => {
      if (!(Number.isFinite(r) && r >= -1 && r <= 1))
        throw new UserInputError(
          `correlation of ${model.assets[i]} and ${model.assets[j]} must be in [-1, 1], got ${r}`,
        );
      if (i === j && r !== 1)
        throw new UserInputError(`correlation of ${model.assets[i]} with itself must be 1, got ${r}`);
    });
  });
  if (model.tails.kind === "student-t" && !(model.tails.degreesOfFreedom > 2))
    throw new UserInputError(
      `Student-t degrees of freedom must be above 2 (the variance is infinite at 2 or less), got ${model.tails.degreesOfFreedom}`,
    );
}
