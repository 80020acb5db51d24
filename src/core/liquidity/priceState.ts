/**
 * The mutable prices and pools of one simulation, and the two kinds of step that move them
 * (cascade-model.md section 2): an exogenous shock and a round's trades. Each step first applies
 * the assets' own moves, then the followers in topological order.
 */
import { type BookAssets, LIQUIDITY_INFINITE } from "../book/book.js";
import { buyInputUsd, MAX_BUY_SHARE, sellOutputUsd } from "./constantProduct.js";
import { followerFactor } from "./followers.js";

export interface PriceState {
  /** USD per unit. */
  readonly priceUsd: Float64Array;
  readonly poolAsset: Float64Array;
  readonly poolUsd: Float64Array;
}

export function initialPriceState(assets: BookAssets): PriceState {
  return {
    priceUsd: assets.priceUsd.slice(),
    poolAsset: assets.poolAsset.slice(),
    poolUsd: assets.poolUsd.slice(),
  };
}

/** Arbitrages asset `a`'s pool (if any) to `priceUsd`, keeping `k = x y`. */
function moveTo(assets: BookAssets, state: PriceState, a: number, priceUsd: number): void {
  state.priceUsd[a] = priceUsd;
  if (assets.liquidityKind[a] === LIQUIDITY_INFINITE) return;
  const k = state.poolAsset[a]! * state.poolUsd[a]!;
  state.poolAsset[a] = Math.sqrt(k / priceUsd);
  state.poolUsd[a] = Math.sqrt(k * priceUsd);
}

/**
 * Moves every follower by `max(0, 1 + beta (r - 1))`, `r` = its leader's price now over the
 * price at `stepStart` (1 when that was 0), leaders first.
 */
export function moveFollowers(assets: BookAssets, state: PriceState, stepStart: Float64Array): void {
  const { followerOrder, leader, beta } = assets;
  for (let k = 0; k < followerOrder.length; k++) {
    const f = followerOrder[k]!;
    const l = leader[f]!;
    const before = stepStart[l]!;
    const ratio = before > 0 ? state.priceUsd[l]! / before : 1;
    moveTo(assets, state, f, state.priceUsd[f]! * followerFactor(beta[f]!, ratio));
  }
}

/** The shock step: `p *= 1 + s` per shocked asset (arbitraged), then followers. */
export function applyShockStep(assets: BookAssets, state: PriceState, shockFactor: Float64Array): void {
  const stepStart = state.priceUsd.slice();
  for (let a = 0; a < assets.count; a++) {
    const factor = shockFactor[a]!;
    if (factor !== 1) moveTo(assets, state, a, state.priceUsd[a]! * factor);
  }
  moveFollowers(assets, state, stepStart);
}

/**
 * The trade step of a round: `net[a] > 0` units are sold into the pool, `net[a] < 0` bought
 * (capped at 0.99 x), infinite liquidity does not move; then followers. Returns whether a buy was capped.
 */
export function applyTradeStep(assets: BookAssets, state: PriceState, net: Float64Array): boolean {
  const stepStart = state.priceUsd.slice();
  const { poolAsset, poolUsd, priceUsd } = state;
  let liquidityExhausted = false;
  for (let a = 0; a < assets.count; a++) {
    const amount = net[a]!;
    if (amount === 0 || assets.liquidityKind[a] === LIQUIDITY_INFINITE) continue;
    const x = poolAsset[a]!;
    const y = poolUsd[a]!;
    const fee = assets.feeRate[a]!;
    if (amount > 0) {
      poolAsset[a] = x + amount;
      poolUsd[a] = y - sellOutputUsd(x, y, amount, fee);
    } else {
      let bought = -amount;
      const cap = MAX_BUY_SHARE * x;
      if (bought > cap) {
        bought = cap;
        liquidityExhausted = true;
      }
      poolAsset[a] = x - bought;
      poolUsd[a] = y + buyInputUsd(x, y, bought, fee);
    }
    priceUsd[a] = poolUsd[a]! / poolAsset[a]!;
  }
  moveFollowers(assets, state, stepStart);
  return liquidityExhausted;
}
