/**
 * Constant-product pools of `x` token units against `y` USD (docs/cascade-model.md, section 2).
 * Pure arithmetic on numbers; the propagator keeps `x`/`y` in `Float64Array`s and calls these.
 */

/** Share of `x` that one buy may take; a larger buy is capped here and flagged `liquidityExhausted`. */
export const MAX_BUY_SHARE = 0.99;

export interface PoolReserves {
  /** Token units in the pool. */
  readonly x: number;
  /** USD in the pool. */
  readonly y: number;
}

/**
 * The pool a `depth` liquidity stands for: selling `depthUsd` (valued at `priceUsd`) moves the
 * price down by `depthPct`. `x = depthUsd / (p (1 / sqrt(1 - depthPct) - 1))`, `y = x p`.
 */
export function poolFromDepth(priceUsd: number, depthUsd: number, depthPct: number): PoolReserves {
  const x = depthUsd / (priceUsd * (1 / Math.sqrt(1 - depthPct) - 1));
  return { x, y: x * priceUsd };
}

/** USD received for selling `amount` units with fee rate `fee` (0.003 = 30 bps): `a(1-f) y / (x + a(1-f))`. */
export function sellOutputUsd(x: number, y: number, amount: number, fee: number): number {
  const net = amount * (1 - fee);
  return (net * y) / (x + net);
}

/** USD paid to buy `amount` units (already capped) with fee rate `fee`: `y b / ((x - b)(1 - f))`. */
export function buyInputUsd(x: number, y: number, amount: number, fee: number): number {
  return (y * amount) / ((x - amount) * (1 - fee));
}

/** The pool after selling `amount` units into it: `x += a`, `y -= out`. */
export function sell(pool: PoolReserves, amount: number, fee: number): PoolReserves & { outUsd: number } {
  const outUsd = sellOutputUsd(pool.x, pool.y, amount, fee);
  return { x: pool.x + amount, y: pool.y - outUsd, outUsd };
}

/**
 * The pool after buying `amount` units from it; a buy above `0.99 x` is capped at `0.99 x`
 * and reported `liquidityExhausted`.
 */
export function buy(
  pool: PoolReserves,
  amount: number,
  fee: number,
): PoolReserves & { inUsd: number; bought: number; liquidityExhausted: boolean } {
  const cap = MAX_BUY_SHARE * pool.x;
  const liquidityExhausted = amount > cap;
  const bought = liquidityExhausted ? cap : amount;
  const inUsd = buyInputUsd(pool.x, pool.y, bought, fee);
  return { x: pool.x - bought, y: pool.y + inUsd, inUsd, bought, liquidityExhausted };
}

/** An exogenous move to `priceUsd`, arbitraged: `k = x y` kept, `x = sqrt(k / p')`, `y = sqrt(k p')`. */
export function arbitrageTo(pool: PoolReserves, priceUsd: number): PoolReserves {
  const k = pool.x * pool.y;
  return { x: Math.sqrt(k / priceUsd), y: Math.sqrt(k * priceUsd) };
}
