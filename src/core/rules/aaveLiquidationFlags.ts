/**
 * Who may be liquidated now on Aave V3 (model addition 2.1, docs/cascade-model-additions.md
 * section 1): a paused reserve, or one in its liquidation grace period, cannot be seized or
 * repaid by a liquidation; while the L2 price-oracle sentinel disallows liquidations, only a
 * position with `HF < 0.95` can be liquidated. A frozen reserve is liquidated as usual. The
 * health factor itself does not change. A cascade is simulated as happening at `source.takenAt`,
 * so a grace period that has not ended then lasts through every round.
 */
import type { AaveMarketData } from "../snapshot/schema.js";

/** Aave's `MINIMUM_HEALTH_FACTOR_LIQUIDATION_THRESHOLD`: the sentinel lets positions below it be liquidated. */
export const SENTINEL_MIN_HEALTH_FACTOR = 0.95;

/** Why liquidations against a reserve are held. */
export type AaveReserveHold =
  | { readonly reason: "paused" }
  | { readonly reason: "grace-period"; readonly untilSeconds: number };

type AaveReserve = AaveMarketData["reserves"][string];

/**
 * The hold on one reserve at `takenAtSeconds` (unix seconds), or undefined when a liquidation may
 * seize or repay it. A grace end not after `takenAtSeconds` is no grace; without a time (a
 * snapshot without `source.takenAt`) a written grace end counts as running (indexers write it only
 * while it runs).
 */
export function aaveReserveHold(
  reserve: AaveReserve,
  takenAtSeconds: number | undefined,
): AaveReserveHold | undefined {
  if (reserve.paused === true) return { reason: "paused" };
  const until = reserve.liquidationGraceUntil ?? 0;
  if (until > 0 && (takenAtSeconds === undefined || until > takenAtSeconds))
    return { reason: "grace-period", untilSeconds: until };
  return undefined;
}

/** The health factor below which the market's positions may be liquidated: 1, or 0.95 while the sentinel disallows. */
export function aaveLiquidationHealthLimit(market: AaveMarketData): number {
  return market.sentinel !== undefined && !market.sentinel.liquidationAllowed
    ? SENTINEL_MIN_HEALTH_FACTOR
    : 1;
}

/** Held reserves of a market by asset id (empty when none). */
export function aaveReserveHolds(
  market: AaveMarketData,
  takenAtSeconds: number | undefined,
): Map<string, AaveReserveHold> {
  const out = new Map<string, AaveReserveHold>();
  for (const [asset, reserve] of Object.entries(market.reserves)) {
    const hold = aaveReserveHold(reserve, takenAtSeconds);
    if (hold !== undefined) out.set(asset, hold);
  }
  return out;
}

/** `source.takenAt` (ISO 8601) as unix seconds; undefined when absent or not a time. */
export function takenAtSecondsOf(takenAt: string | undefined): number | undefined {
  if (takenAt === undefined) return undefined;
  const ms = Date.parse(takenAt);
  return Number.isFinite(ms) ? ms / 1000 : undefined;
}
