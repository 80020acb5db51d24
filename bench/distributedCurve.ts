/** The distributed benchmark's cycle: a 32-point WETH curve, -1.6% to -50%. */
export const DISTRIBUTED_POINTS = 32;

export const DISTRIBUTED_CURVE_SHOCKS: readonly number[] = Array.from(
  { length: DISTRIBUTED_POINTS },
  (_, i) => -Math.round((((i + 1) * 0.5) / DISTRIBUTED_POINTS) * 1000) / 1000,
);
