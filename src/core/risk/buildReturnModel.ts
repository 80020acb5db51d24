/**
 * The return model of a book from a short spec (the `risk.var` config section or CLI flags):
 * which assets move on their own, their volatilities and correlations, with documented defaults.
 *
 * - An asset that follows another (`follows`) moves with its leader through the book's own price
 *   links; it gets a shock of its own only when the spec gives it a volatility (its basis risk).
 *   Every other asset moves on its own.
 * - Volatility: the spec's, else `DEFAULT_VOLATILITIES` for common ids, else `defaultVolatility`.
 * - Correlation: the spec's pair, else `defaultCorrelation` between two assets that both have a
 *   volatility of at least `VOLATILE_FROM` (crypto assets move together), else 0 (stablecoins).
 */

import { UserInputError } from "../errors.js";
import type { Snapshot } from "../snapshot/snapshot.js";
import type { ReturnModel, ReturnTails } from "./returnModel.js";

export interface ReturnModelSpec {
  /** Annualised volatility per asset id. */
  readonly volatilities?: Readonly<Record<string, number>>;
  readonly defaultVolatility?: number;
  readonly correlations?: ReadonlyArray<{
    readonly assets: readonly [string, string];
    readonly correlation: number;
  }>;
  readonly defaultCorrelation?: number;
  readonly tails?: ReturnTails;
  /** Where the correlations come from, for messages (e.g. `risk.var.correlations`). */
  readonly correlationSource?: string;
}

/** Rounded one-year realised volatilities of common assets (2023-2025), used when the spec gives none. */
export const DEFAULT_VOLATILITIES: Readonly<Record<string, number>> = {
  USDC: 0.01,
  USDT: 0.02,
  DAI: 0.02,
  USDS: 0.02,
  GHO: 0.03,
  USDe: 0.03,
  FRAX: 0.03,
  PYUSD: 0.02,
  WETH: 0.65,
  ETH: 0.65,
  WBTC: 0.5,
  cbBTC: 0.5,
  tBTC: 0.5,
  LINK: 0.85,
};
export const DEFAULT_VOLATILITY = 0.8;
export const DEFAULT_CORRELATION = 0.7;
/** Assets at or above this volatility correlate by default. */
export const VOLATILE_FROM = 0.2;

/** @throws UserInputError when the spec names an asset the snapshot does not list. */
export function buildReturnModel(snapshot: Snapshot, spec: ReturnModelSpec = {}): ReturnModel {
  const listed = new Set(snapshot.assets.map((a) => a.id));
  const volatilities = spec.volatilities ?? {};
  for (const asset of Object.keys(volatilities))
    if (!listed.has(asset))
      throw new UserInputError(`volatility given for ${asset}, which the snapshot does not list`);
  const assets = snapshot.assets
    .filter((a) => a.follows === undefined || Object.hasOwn(volatilities, a.id))
    .map((a) => a.id)
    .sort();
  const volatility = assets.map(
    (a) => volatilities[a] ?? DEFAULT_VOLATILITIES[a] ?? spec.defaultVolatility ?? DEFAULT_VOLATILITY,
  );
  const defaultCorrelation = spec.defaultCorrelation ?? DEFAULT_CORRELATION;
  const correlation = assets.map((_, i) =>
    assets.map((_, j) =>
      i === j
        ? 1
        : volatility[i]! >= VOLATILE_FROM && volatility[j]! >= VOLATILE_FROM
          ? defaultCorrelation
          : 0,
    ),
  );
  const indexOf = new Map(assets.map((a, i) => [a, i] as const));
  for (const {
    assets: [a, b],
    correlation: r,
  } of spec.correlations ?? []) {
    const i = indexOf.get(a);
    const j = indexOf.get(b);
    if (i === undefined || j === undefined) {
      const missing = i === undefined ? a : b;
      throw new UserInputError(
        `correlation given for ${a}/${b}, but ${missing} ${listed.has(missing) ? "follows another asset and has no volatility of its own" : "is not in the snapshot"}`,
      );
    }
    if (i === j) throw new UserInputError(`correlation of ${a} with itself is always 1`);
    correlation[i]![j] = r;
    correlation[j]![i] = r;
  }
  return {
    assets,
    volatility,
    correlation,
    tails: spec.tails ?? { kind: "normal" },
    ...(spec.correlationSource === undefined ? {} : { correlationSource: spec.correlationSource }),
  };
}
