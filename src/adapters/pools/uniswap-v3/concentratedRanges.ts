/**
 * Turns a Uniswap V3 pool's state into the model's `concentrated` liquidity (cascade-model
 * section 2): disjoint price ranges in quote per asset, each with a constant liquidity in token
 * units (`L_raw / 10^((d_asset + d_quote) / 2)`). Pure: the reader supplies the chain values.
 *
 * The walk starts from the in-range liquidity at the current tick and crosses the initialized
 * ticks outwards, as a swap would: upwards `L += liquidityNet(t)`, downwards `L -= liquidityNet(t)`.
 * Only the ticks inside the price window are known, so liquidity beyond it is left out (a sale
 * that would reach it is not executed, the model's `liquidityExhausted`).
 */
import { FatalError } from "../../../core/errors.js";
import { rawPriceAtTick, rawPriceOfSqrtX96 } from "./tickMath.js";

export interface UniswapV3PoolState {
  readonly sqrtPriceX96: bigint;
  readonly tick: number;
  /** In-range liquidity (`liquidity()`), raw. */
  readonly liquidity: bigint;
  /** `liquidityNet` of every initialized tick inside the window. */
  readonly liquidityNet: ReadonlyMap<number, bigint>;
  readonly decimals0: number;
  readonly decimals1: number;
}

export interface ConcentratedRange {
  /** Quote units per asset unit. */
  readonly lower: number;
  readonly upper: number;
  /** Uniswap's L in token units. */
  readonly liquidity: number;
}

export interface ConcentratedReading {
  /** The pool price, quote units per asset unit, from `sqrtPriceX96`. */
  readonly price: number;
  /** Ascending, disjoint, without zero-liquidity gaps. */
  readonly ranges: ConcentratedRange[];
}

export interface ConcentratedRangesParameters {
  readonly state: UniswapV3PoolState;
  /** True when the asset is token0 (its price is the pool's own direction), false for token1. */
  readonly assetIsToken0: boolean;
  /** Raw tick window `[lowerTick, upperTick]` whose ticks were read. */
  readonly lowerTick: number;
  readonly upperTick: number;
  /** For error messages. */
  readonly pool: string;
}

export function concentratedRanges(parameters: ConcentratedRangesParameters): ConcentratedReading {
  const { state, assetIsToken0, lowerTick, upperTick } = parameters;
  const ticks = [...state.liquidityNet.keys()]
    .filter((t) => t >= lowerTick && t <= upperTick)
    .sort((a, b) => a - b);
  const net = (t: number): bigint => state.liquidityNet.get(t) ?? 0n;
  // Raw segments [from, to) in tick space with their raw liquidity.
  const segments: Array<{ from: number; to: number; liquidity: bigint }> = [];
  const above = ticks.filter((t) => t > state.tick);
  const atOrBelow = ticks.filter((t) => t <= state.tick).reverse();
  segments.push({
    from: atOrBelow[0] ?? lowerTick,
    to: above[0] ?? upperTick,
    liquidity: state.liquidity,
  });
  let liquidity = state.liquidity;
  above.forEach((t, i) => {
    liquidity += net(t);
    segments.push({ from: t, to: above[i + 1] ?? upperTick, liquidity });
  });
  liquidity = state.liquidity;
  atOrBelow.forEach((t, i) => {
    liquidity -= net(t);
    segments.push({ from: atOrBelow[i + 1] ?? lowerTick, to: t, liquidity });
  });

  const decimalsShift = 10 ** (state.decimals0 - state.decimals1);
  const liquidityScale = 10 ** ((state.decimals0 + state.decimals1) / 2);
  // One price per tick, so adjacent ranges share their boundary exactly.
  const priceCache = new Map<number, number>();
  const priceAt = (t: number): number => {
    let p = priceCache.get(t);
    if (p === undefined) {
      const token0InToken1 = rawPriceAtTick(t) * decimalsShift;
      p = assetIsToken0 ? token0InToken1 : 1 / token0InToken1;
      priceCache.set(t, p);
    }
    return p;
  };
  const ranges: ConcentratedRange[] = [];
  for (const segment of segments) {
    if (segment.from >= segment.to) continue;
    if (segment.liquidity < 0n)
      throw new FatalError(
        `uniswap-v3 pool ${parameters.pool}: liquidity below 0 between ticks ${segment.from} and ${segment.to}; the ticks read are inconsistent`,
      );
    if (segment.liquidity === 0n) continue;
    const a = priceAt(segment.from);
    const b = priceAt(segment.to);
    ranges.push({
      lower: Math.min(a, b),
      upper: Math.max(a, b),
      liquidity: Number(segment.liquidity) / liquidityScale,
    });
  }
  ranges.sort((x, y) => x.lower - y.lower);
  const current = rawPriceOfSqrtX96(state.sqrtPriceX96) * decimalsShift;
  return { price: assetIsToken0 ? current : 1 / current, ranges };
}
