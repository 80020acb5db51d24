import type { LiquidationBucket, LiquidationHistogram } from "./collateralGraph.js";
import type { LiquidationPrice } from "./liquidationPrice.js";

const emptyBucket = (): LiquidationBucket => ({ positions: 0, collateralUsd: 0, debtUsd: 0 });
const round12 = (x: number): number => Math.round(x * 1e12) / 1e12;

/** An empty histogram over drops `[0, 1)` in buckets of `step` (the last one may be narrower). */
export function emptyLiquidationHistogram(priceUsd: number, step: number): LiquidationHistogram {
  const count = Math.ceil(1 / step - 1e-9);
  const buckets = [];
  for (let k = 0; k < count; k++) {
    const dropFrom = round12(k * step);
    const dropTo = Math.min(1, round12((k + 1) * step));
    buckets.push({
      dropFrom,
      dropTo,
      priceFromUsd: priceUsd * (1 - dropTo),
      priceToUsd: priceUsd * (1 - dropFrom),
      ...emptyBucket(),
    });
  }
  return { step, buckets, alreadyLiquidatable: emptyBucket(), notOnFall: emptyBucket() };
}

/**
 * Adds one position to the histogram: `collateralUsd` is its collateral in the histogram's
 * asset, `debtUsd` its total debt (both at snapshot prices). A liquidation price whose drop
 * is exactly on a bucket edge goes to the bucket above the edge (`[dropFrom, dropTo)`).
 */
export function addToHistogram(
  histogram: LiquidationHistogram,
  priceUsd: number,
  at: LiquidationPrice,
  collateralUsd: number,
  debtUsd: number,
): void {
  let bucket: LiquidationBucket | undefined;
  if (at.kind === "already") bucket = histogram.alreadyLiquidatable;
  else if (at.kind === "notOnFall") bucket = histogram.notOnFall;
  else {
    const drop = 1 - at.priceUsd / priceUsd;
    const k = Math.min(histogram.buckets.length - 1, Math.max(0, Math.floor(drop / histogram.step)));
    bucket = histogram.buckets[k];
  }
  if (bucket === undefined) return;
  bucket.positions += 1;
  bucket.collateralUsd += collateralUsd;
  bucket.debtUsd += debtUsd;
}
