/** `markets`: which lending markets to index, one entry per pool, Morpho instance or Comet. */
import { z } from "zod";
import { addressSchema, blockNumberSchema, bytes32Schema, chainIdSchema, urlSchema } from "./primitives.js";

const common = {
  chain: chainIdSchema,
  /** A label for logs and progress lines. */
  name: z.string().optional(),
  /** First block to scan for events (the deployment block). */
  fromBlock: blockNumberSchema.default(0),
};

export const aaveMarketConfigSchema = z.strictObject({
  ...common,
  protocol: z.literal("aave-v3"),
  pool: addressSchema,
  addressesProvider: addressSchema,
  uiPoolDataProvider: addressSchema.optional(),
  poolDataProvider: addressSchema.optional(),
  /** Liquidation logic; when absent the pool is asked (see docs/indexers.md), never guessed. */
  liquidationLogic: z.enum(["v3.0", "v3.3"], { error: "must be v3.0 or v3.3" }).optional(),
  /** An Aave V3 subgraph that speeds up borrower discovery (chain reads stay the source of truth). */
  subgraph: urlSchema.optional(),
  closeFactor: z.number().optional(),
  closeFactorHfThreshold: z.number().optional(),
  fullCloseBelowUsd: z.number().optional(),
  minLeftoverUsd: z.number().optional(),
});

export const morphoMarketConfigSchema = z.strictObject({
  ...common,
  protocol: z.literal("morpho-blue"),
  morpho: addressSchema,
  /** Only these market ids (default: every market created on this Morpho instance). */
  marketIds: z.array(bytes32Schema).optional(),
  /** Morpho's GraphQL API, for faster position discovery. */
  api: urlSchema.optional(),
});

export const compoundMarketConfigSchema = z.strictObject({
  ...common,
  protocol: z.literal("compound-v3"),
  comet: addressSchema,
});

/** An Aave V4 Spoke: its reserves, liquidation config and positions (the Hubs hold the liquidity). */
export const aaveV4MarketConfigSchema = z.strictObject({
  ...common,
  protocol: z.literal("aave-v4"),
  spoke: addressSchema,
});

export const marketConfigSchema = z.discriminatedUnion(
  "protocol",
  [aaveMarketConfigSchema, aaveV4MarketConfigSchema, morphoMarketConfigSchema, compoundMarketConfigSchema],
  { error: "protocol must be one of aave-v3, aave-v4, morpho-blue, compound-v3" },
);

export type AaveMarketConfig = z.output<typeof aaveMarketConfigSchema>;
export type AaveV4MarketConfig = z.output<typeof aaveV4MarketConfigSchema>;
export type MorphoMarketConfig = z.output<typeof morphoMarketConfigSchema>;
export type CompoundMarketConfig = z.output<typeof compoundMarketConfigSchema>;
export type MarketConfig = z.output<typeof marketConfigSchema>;
