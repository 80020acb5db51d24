/**
 * The mutable prices and pools of one simulation, and the two kinds of step that move them
 * (docs/cascade-model.md, section 2): an exogenous shock and a round's trades. Each step first
 * applies the assets' own moves on their pools, then, in dependency order, the followers' moves
 * and every market price `p_a = π_a · p_q(a)`.
 */
import { type BookAssets, LIQUIDITY_CONCENTRATED, LIQUIDITY_INFINITE, LIQUIDITY_POOL } from "../book/book.js";
import {
  buyConcentrated,
  type ConcentratedSwap,
  emptyConcentratedSwap,
  type RangeArrays,
  sellConcentrated,
} from "./concentrated.js";
import { buyInputUsd, MAX_BUY_SHARE, sellOutputUsd } from "./constantProduct.js";
import { followerFactor } from "./followers.js";

export interface PriceState {
  /** Market price, USD per unit. */
  readonly priceUsd: Float64Array;
  /** Pool price π, quote units per unit. */
  readonly poolPrice: Float64Array;
  /** Constant-product reserves (asset units, quote units). */
  readonly poolAsset: Float64Array;
  readonly poolQuote: Float64Array;
  /** Concentrated pools: `sqrt(π)`. */
  readonly sqrtPrice: Float64Array;
  /** Market prices at the start of the current step. */
  readonly stepStart: Float64Array;
  /** Scratch of the concentrated swaps. */
  readonly swap: ConcentratedSwap;
  readonly ranges: RangeArrays;
}

export function initialPriceState(assets: BookAssets): PriceState {
  return {
    priceUsd: assets.priceUsd.slice(),
    poolPrice: assets.poolPrice.slice(),
    poolAsset: assets.poolAsset.slice(),
    poolQuote: assets.poolQuote.slice(),
    sqrtPrice: assets.poolPrice.map(Math.sqrt),
    stepStart: new Float64Array(assets.count),
    swap: emptyConcentratedSwap(),
    ranges: {
      sqrtLower: assets.rangeSqrtLower,
      sqrtUpper: assets.rangeSqrtUpper,
      liquidity: assets.rangeLiquidity,
    },
  };
}

/** An exogenous move of asset `a`'s pool price to `poolPrice`, arbitraged (k = x y kept; s = sqrt(π)). */
function movePoolTo(assets: BookAssets, state: PriceState, a: number, poolPrice: number): void {
  state.poolPrice[a] = poolPrice;
  const kind = assets.liquidityKind[a];
  if (kind === LIQUIDITY_POOL) {
    const k = state.poolAsset[a]! * state.poolQuote[a]!;
    state.poolAsset[a] = Math.sqrt(k / poolPrice);
    state.poolQuote[a] = Math.sqrt(k * poolPrice);
  } else if (kind === LIQUIDITY_CONCENTRATED) {
    state.sqrtPrice[a] = Math.sqrt(poolPrice);
  }
}

/**
 * Step 2 of a step: in dependency order, a follower's pool price times
 * `max(0, 1 + beta (r - 1))` (`r` = its leader's market price now over at the step's start,
 * 1 when that was 0), then every market price `p_a = π_a · p_q(a)`.
 */
function settleStep(assets: BookAssets, state: PriceState): void {
  const { dependencyOrder, leader, beta, quote } = assets;
  const { priceUsd, poolPrice, stepStart } = state;
  for (let k = 0; k < dependencyOrder.length; k++) {
    const a = dependencyOrder[k]!;
    const l = leader[a]!;
    if (l >= 0) {
      const before = stepStart[l]!;
      const ratio = before > 0 ? priceUsd[l]! / before : 1;
      movePoolTo(assets, state, a, poolPrice[a]! * followerFactor(beta[a]!, ratio));
    }
    const q = quote[a]!;
    priceUsd[a] = q < 0 ? poolPrice[a]! : poolPrice[a]! * priceUsd[q]!;
  }
}

/** The shock step: `π *= 1 + s` per shocked asset (arbitraged), then step 2. */
export function applyShockStep(assets: BookAssets, state: PriceState, shockFactor: Float64Array): void {
  state.stepStart.set(state.priceUsd);
  for (let a = 0; a < assets.count; a++) {
    const factor = shockFactor[a]!;
    if (factor !== 1) movePoolTo(assets, state, a, state.poolPrice[a]! * factor);
  }
  settleStep(assets, state);
}

/**
 * The trade step of a round. `net[a]` (units of `a`, sold minus bought) is traded in `a`'s pool
 * in order of decreasing depth; the proceeds (or the cost) join `net` of its quote, in quote
 * units, so flows run up the quote tree and end at USD. `net` is consumed. `traded[a]` is set to
 * 1 where a non-zero net met a pool that is not infinite. Returns whether a trade ran out of
 * liquidity (a constant-product buy capped at 0.99 x, a concentrated trade left unfinished).
 */
export function applyTradeStep(
  assets: BookAssets,
  state: PriceState,
  net: Float64Array,
  traded: Uint8Array,
): boolean {
  state.stepStart.set(state.priceUsd);
  const { poolAsset, poolQuote, poolPrice, sqrtPrice, swap, ranges } = state;
  const { tradeOrder, quote, liquidityKind, feeRate, rangeStart } = assets;
  let liquidityExhausted = false;
  traded.fill(0);
  for (let k = 0; k < tradeOrder.length; k++) {
    const a = tradeOrder[k]!;
    const amount = net[a]!;
    if (amount === 0) continue;
    const kind = liquidityKind[a];
    let quoteFlow: number;
    if (kind === LIQUIDITY_INFINITE) {
      quoteFlow = amount * poolPrice[a]!;
    } else if (kind === LIQUIDITY_POOL) {
      const x = poolAsset[a]!;
      const y = poolQuote[a]!;
      const fee = feeRate[a]!;
      if (amount > 0) {
        quoteFlow = sellOutputUsd(x, y, amount, fee);
        poolAsset[a] = x + amount;
        poolQuote[a] = y - quoteFlow;
      } else {
        let bought = -amount;
        const cap = MAX_BUY_SHARE * x;
        if (bought > cap) {
          bought = cap;
          liquidityExhausted = true;
        }
        const cost = buyInputUsd(x, y, bought, fee);
        poolAsset[a] = x - bought;
        poolQuote[a] = y + cost;
        quoteFlow = -cost;
      }
      poolPrice[a] = poolQuote[a]! / poolAsset[a]!;
    } else {
      const from = rangeStart[a]!;
      const to = rangeStart[a + 1]!;
      if (amount > 0) {
        sellConcentrated(swap, ranges, from, to, sqrtPrice[a]!, amount, feeRate[a]!);
        quoteFlow = swap.quoteAmount;
      } else {
        buyConcentrated(swap, ranges, from, to, sqrtPrice[a]!, -amount, feeRate[a]!);
        quoteFlow = -swap.quoteAmount;
      }
      if (swap.exhausted) liquidityExhausted = true;
      sqrtPrice[a] = swap.sqrtPrice;
      poolPrice[a] = swap.sqrtPrice * swap.sqrtPrice;
    }
    if (kind !== LIQUIDITY_INFINITE) traded[a] = 1;
    const q = quote[a]!;
    if (q >= 0) net[q] = net[q]! + quoteFlow;
  }
  settleStep(assets, state);
  return liquidityExhausted;
}
