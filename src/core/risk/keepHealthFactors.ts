/**
 * "Borrowers keep their health factor": after a change of a market's thresholds, every position
 * of that market borrows in proportion to its weighted collateral (Σ amount · price · weight at
 * snapshot prices), so its health factor at snapshot prices is what it was. A raised threshold
 * then means more debt on the same collateral, as borrowers who use the new room do; without
 * this, a what-if on a fixed book only ever looks safer when a threshold rises.
 */
import { positionTerms } from "../graph/positionTerms.js";
import { parseSnapshot } from "../snapshot/parseSnapshot.js";
import type { Snapshot } from "../snapshot/snapshot.js";

function weightedCollateralUsd(
  terms: ReturnType<typeof positionTerms>,
  priceUsd: ReadonlyMap<string, number>,
): number {
  let sum = 0;
  for (const t of terms.collateral) sum += t.amount * (priceUsd.get(t.asset) ?? 0) * t.weight;
  return sum;
}

/** `after` with the debts of `marketIds`' positions scaled so their health matches `before`. */
export function keepHealthFactors(before: Snapshot, after: Snapshot, marketIds: readonly string[]): Snapshot {
  if (marketIds.length === 0) return after;
  const priceUsd = new Map(after.assets.map((a) => [a.id, a.priceUsd] as const));
  const oldMarkets = new Map(before.markets.map((m) => [m.id, m] as const));
  const newMarkets = new Map(after.markets.map((m) => [m.id, m] as const));
  const touched = new Set(marketIds);
  const positions = after.positions.map((p) => {
    if (!touched.has(p.market)) return p;
    const was = weightedCollateralUsd(positionTerms(p, oldMarkets.get(p.market)!), priceUsd);
    const now = weightedCollateralUsd(positionTerms(p, newMarkets.get(p.market)!), priceUsd);
    if (!(was > 0) || now === was) return p;
    const scale = now / was;
    return { ...p, debt: Object.fromEntries(Object.entries(p.debt).map(([a, d]) => [a, d * scale])) };
  });
  return parseSnapshot({ ...after, positions });
}
