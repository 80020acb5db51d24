/**
 * A small seeded PRNG (mulberry32) with the few distributions the book generators need.
 * Own code, so a seed reproduces the same book on every machine and Node version.
 */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [low, high). */
  uniform(low: number, high: number): number;
  /** Log-uniform in [low, high): as many values per decade. */
  logUniform(low: number, high: number): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** Log-normal with the given median and sigma of the underlying normal. */
  logNormal(median: number, sigma: number): number;
  /** Pareto with scale `min` and tail index `alpha` (heavier tail as alpha falls to 1). */
  pareto(min: number, alpha: number): number;
  /** Index drawn with the given (not necessarily normalised) weights. */
  pick(weights: readonly number[]): number;
  /** Choice drawn by weight (weights need not sum to 1); the same single draw as `pick`. */
  weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T;
  /** 32 random bits as 8 lowercase hex digits. */
  hex8(): string;
}

export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    // 1 - next() is in (0, 1], so the log is finite.
    const u = 1 - next();
    const v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const pick = (weights: readonly number[]): number => {
    let total = 0;
    for (const w of weights) total += w;
    let r = next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] ?? 0;
      if (r < 0) return i;
    }
    return weights.length - 1;
  };
  return {
    next,
    uniform: (low, high) => low + (high - low) * next(),
    logUniform: (low, high) => low * Math.exp(Math.log(high / low) * next()),
    normal,
    logNormal: (median, sigma) => median * Math.exp(sigma * normal()),
    pareto: (min, alpha) => min / (1 - next()) ** (1 / alpha),
    pick,
    weighted: <T>(choices: ReadonlyArray<readonly [T, number]>): T => {
      const chosen = choices[pick(choices.map(([, weight]) => weight))];
      if (chosen === undefined) throw new RangeError("weighted: no choices");
      return chosen[0];
    },
    hex8: () =>
      Math.floor(next() * 4294967296)
        .toString(16)
        .padStart(8, "0"),
  };
}
