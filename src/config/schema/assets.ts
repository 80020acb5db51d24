/** `assets`: one economic asset per id, its token on each chain, and how deep its market is. */
import { z } from "zod";
import { addressSchema, chainIdSchema, finiteNumber, nonEmptyString } from "./primitives.js";

const feeBps = finiteNumber.refine((v) => v >= 0 && v < 10_000, { message: "must be in [0, 10000)" });

export const assetLiquiditySchema = z.discriminatedUnion(
  "kind",
  [
    /** Reserves read from a Uniswap V2-style pair against `quote` (an asset id priced near $1). */
    z.strictObject({
      kind: z.literal("uniswap-v2"),
      chain: chainIdSchema,
      pair: addressSchema,
      quote: nonEmptyString,
      feeBps: feeBps.default(30),
    }),
    /**
     * A Uniswap V3 pool against `quote`: its initialized ticks within `windowPct` of the price
     * become concentrated ranges. Without `pool`, the factory's deepest pool of the pair is used.
     */
    z.strictObject({
      kind: z.literal("uniswap-v3"),
      chain: chainIdSchema,
      pool: addressSchema.optional(),
      factory: addressSchema.optional(),
      quote: nonEmptyString,
      windowPct: finiteNumber.refine((v) => v > 0 && v < 1, { message: "must be in (0, 1)" }).default(0.5),
    }),
    /** Selling `depthUsd` moves the price down by `depthPct` (cascade-model section 2). */
    z.strictObject({
      kind: z.literal("depth"),
      quote: nonEmptyString.optional(),
      depthUsd: finiteNumber.refine((v) => v > 0, { message: "must be greater than 0" }),
      depthPct: finiteNumber.refine((v) => v > 0 && v < 1, { message: "must be in (0, 1)" }),
      feeBps: feeBps.default(0),
    }),
    z.strictObject({ kind: z.literal("infinite"), quote: nonEmptyString.optional() }),
  ],
  { error: "kind must be one of uniswap-v2, uniswap-v3, depth, infinite" },
);

export const assetSchema = z.strictObject({
  id: nonEmptyString,
  symbol: z.string().optional(),
  /** Token address per chain id (`{"1": "0x…"}`); several tokens may share one economic asset. */
  tokens: z
    .record(z.string().regex(/^[1-9][0-9]*$/, { error: "chain id keys are integers" }), addressSchema)
    .default({}),
  liquidity: assetLiquiditySchema.default({ kind: "infinite" }),
  follows: z.strictObject({ asset: nonEmptyString, beta: finiteNumber }).optional(),
  /**
   * Deviation threshold of the Chainlink-style feeds that price this asset (0.005 = 0.5%): the
   * feed updates only on a move this large (cascade-model section 3). Absent: it follows at once.
   * The only source of thresholds: feeds do not expose theirs on chain (docs/indexers.md).
   */
  oracleDeviation: finiteNumber.refine((v) => v >= 0 && v < 1, { message: "must be in [0, 1)" }).optional(),
  /** Fallback price when no protocol oracle prices this asset. */
  priceUsd: finiteNumber.refine((v) => v > 0, { message: "must be greater than 0" }).optional(),
});

export type AssetConfig = z.output<typeof assetSchema>;
export type AssetLiquidityConfig = z.output<typeof assetLiquiditySchema>;
