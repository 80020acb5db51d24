/**
 * The `cascade-snapshot/1` JSON shape (shared/cascade-model.md, section 1) as zod schemas.
 *
 * This checks each field on its own; cross-field rules (every named asset is listed, a pool
 * agrees with its price, `follows` has no cycle, a position fits its market) are checked by
 * `parseSnapshot`. Objects are strict: a misspelt optional key is an error, not a silent default.
 */
import { z } from "zod";

export const SNAPSHOT_SCHEMA = "cascade-snapshot/1";

const finite = (what = "a number") =>
  z
    .number({ error: (issue) => (issue.input === undefined ? "missing" : `not ${what}`) })
    .refine(Number.isFinite, {
      message: `not ${what}`,
    });

/** A token amount: finite and not negative. */
export const amountSchema = finite().refine((v) => v >= 0, { message: "must not be negative" });
const positive = finite().refine((v) => v > 0, { message: "must be greater than 0" });
const fraction = (lowOpen: boolean, highOpen: boolean) =>
  finite().refine((v) => (lowOpen ? v > 0 : v >= 0) && (highOpen ? v < 1 : v <= 1), {
    message: `must be in ${lowOpen ? "(" : "["}0, 1${highOpen ? ")" : "]"}`,
  });
const feeBps = finite()
  .refine((v) => v >= 0 && v < 10_000, { message: "must be in [0, 10000)" })
  .default(0);
const id = z
  .string({ error: (issue) => (issue.input === undefined ? "missing" : "not a string") })
  .min(1, { error: "must not be empty" });

export const liquiditySchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({ kind: z.literal("pool"), reserveAsset: positive, reserveUsd: positive, feeBps }),
    z.strictObject({ kind: z.literal("depth"), depthUsd: positive, depthPct: fraction(true, true), feeBps }),
    z.strictObject({ kind: z.literal("infinite") }),
  ],
  { error: "kind must be one of pool, depth, infinite" },
);

export const assetSchema = z.strictObject({
  id,
  symbol: z.string().optional(),
  priceUsd: positive,
  liquidity: liquiditySchema,
  follows: z.strictObject({ asset: id, beta: finite() }).optional(),
  /** Token decimals per chain, informational (the indexers record it; the model does not use it). */
  decimals: z.int().min(0).max(255).optional(),
});

const aaveReserveSchema = z.strictObject({
  liquidationThreshold: fraction(true, false),
  liquidationBonus: finite().refine((v) => v >= 0 && v < 1, { message: "must be in [0, 1)" }),
  protocolFee: fraction(false, false).default(0),
});

const aaveEmodeSchema = z.strictObject({
  liquidationThreshold: fraction(true, false),
  liquidationBonus: finite().refine((v) => v >= 0 && v < 1, { message: "must be in [0, 1)" }),
  assets: z.array(id),
});

export const aaveMarketSchema = z.strictObject({
  id,
  protocol: z.literal("aave-v3"),
  liquidationLogic: z.enum(["v3.0", "v3.3"], { error: "must be v3.0 or v3.3" }),
  closeFactor: fraction(true, false).default(0.5),
  closeFactorHfThreshold: positive.default(0.95),
  fullCloseBelowUsd: amountSchema.default(2000),
  minLeftoverUsd: amountSchema.default(1000),
  reserves: z.record(id, aaveReserveSchema),
  emodes: z
    .record(
      z.string().regex(/^[1-9][0-9]*$/, { error: "eMode id must be an integer above 0" }),
      aaveEmodeSchema,
    )
    .default({}),
});

export const morphoMarketSchema = z.strictObject({
  id,
  protocol: z.literal("morpho-blue"),
  collateral: id,
  loan: id,
  lltv: fraction(true, true),
});

export const compoundMarketSchema = z.strictObject({
  id,
  protocol: z.literal("compound-v3"),
  base: id,
  collaterals: z.record(
    id,
    z.strictObject({
      liquidateCollateralFactor: fraction(true, false),
      liquidationFactor: fraction(true, false),
    }),
  ),
});

export const marketSchema = z.discriminatedUnion(
  "protocol",
  [aaveMarketSchema, morphoMarketSchema, compoundMarketSchema],
  {
    error: "protocol must be one of aave-v3, morpho-blue, compound-v3",
  },
);

export const positionSchema = z.strictObject({
  market: id,
  account: id,
  collateral: z.record(id, amountSchema),
  debt: z.record(id, amountSchema),
  /** Aave eMode category; 0 means none. */
  emode: z.int({ error: "not an integer" }).min(0, { error: "must not be negative" }).optional(),
});

export const sourceSchema = z.looseObject({
  chainIds: z.array(z.int()).default([]),
  blocks: z.record(z.string(), z.int().min(0)).default({}),
  takenAt: z.string().optional(),
  /** Markets whose data could not be refreshed: present but not current. */
  staleMarkets: z.array(id).default([]),
});

export const snapshotSchema = z.strictObject({
  schema: z.literal(SNAPSHOT_SCHEMA, { error: `must be "${SNAPSHOT_SCHEMA}"` }),
  source: sourceSchema.default({ chainIds: [], blocks: {}, staleMarkets: [] }),
  assets: z.array(assetSchema),
  markets: z.array(marketSchema),
  positions: z.array(positionSchema),
});

/** What a snapshot file may contain (defaults not yet applied). */
export type SnapshotInput = z.input<typeof snapshotSchema>;
/** A snapshot whose every field is checked, with defaults applied. */
export type SnapshotData = z.output<typeof snapshotSchema>;
export type AssetData = z.output<typeof assetSchema>;
export type LiquidityData = z.output<typeof liquiditySchema>;
export type MarketData = z.output<typeof marketSchema>;
export type AaveMarketData = z.output<typeof aaveMarketSchema>;
export type MorphoMarketData = z.output<typeof morphoMarketSchema>;
export type CompoundMarketData = z.output<typeof compoundMarketSchema>;
export type PositionData = z.output<typeof positionSchema>;

/** `["positions", 812, "debt", "USDC"]` → `positions[812].debt.USDC`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}
