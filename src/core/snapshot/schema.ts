/**
 * The `cascade-snapshot/2` JSON shape (docs/cascade-model.md, section 1) as zod schemas;
 * `cascade-snapshot/1` documents are accepted as they are (every v1 document is a valid v2 one).
 *
 * This checks each field on its own; cross-field rules (every named asset and oracle is listed,
 * a pool agrees with its price, no cycle through `quote`, `follows` or `rate` oracles, ranges are
 * disjoint, a position fits its market) are checked by `checkCrossFields`. Objects are strict: a
 * misspelt optional key is an error, not a silent default.
 */
import { z } from "zod";

/** The version this project writes. */
export const SNAPSHOT_SCHEMA = "cascade-snapshot/2";
/** Versions this project reads. */
export const SNAPSHOT_SCHEMAS = ["cascade-snapshot/1", "cascade-snapshot/2"] as const;
/** The numeraire: the quote of an asset that trades against dollars. Never an asset id. */
export const USD = "USD";

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
const bonus = finite().refine((v) => v >= 0 && v < 1, { message: "must be in [0, 1)" });
const feeBps = finite()
  .refine((v) => v >= 0 && v < 10_000, { message: "must be in [0, 10000)" })
  .default(0);
const id = z
  .string({ error: (issue) => (issue.input === undefined ? "missing" : "not a string") })
  .min(1, { error: "must not be empty" });
/** An asset id, or `"USD"` for the numeraire. */
const quote = id.optional();
/** USD per transaction, default 0. */
const gasUsd = amountSchema.default(0);

const rangeSchema = z.strictObject({
  /** Pool price (quote per asset) where the range starts, inclusive. */
  lower: finite(),
  /** Where it ends, exclusive. */
  upper: finite(),
  /** Uniswap's `L` in token units: `L_raw / 10^((d_asset + d_quote) / 2)`. */
  liquidity: amountSchema,
});

export const liquiditySchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({
      kind: z.literal("pool"),
      quote,
      reserveAsset: positive,
      /** Quote units in the pool; `reserveUsd` is the v1 spelling for a USD quote. */
      reserveQuote: positive.optional(),
      reserveUsd: positive.optional(),
      feeBps,
    }),
    z.strictObject({
      kind: z.literal("depth"),
      quote,
      depthUsd: positive,
      depthPct: fraction(true, true),
      feeBps,
    }),
    z.strictObject({ kind: z.literal("concentrated"), quote, feeBps, ranges: z.array(rangeSchema) }),
    z.strictObject({ kind: z.literal("infinite"), quote }),
  ],
  { error: "kind must be one of pool, depth, concentrated, infinite" },
);

export const assetSchema = z.strictObject({
  id,
  symbol: z.string().optional(),
  priceUsd: positive,
  liquidity: liquiditySchema.default({ kind: "infinite" }),
  follows: z.strictObject({ asset: id, beta: finite().default(1) }).optional(),
  /** The token's on-chain decimals, informational (no number of the simulation uses it). */
  decimals: z.int().min(0).max(255).optional(),
});

export const oracleSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({
      kind: z.literal("market"),
      asset: id,
      scale: positive.default(1),
      /** Deviation threshold as a fraction (0.005 = 0.5%); 0 reports every move. */
      deviation: fraction(false, true).default(0),
      /** The report at snapshot time; default `scale × priceUsd` of the asset. */
      reportedUsd: positive.optional(),
    }),
    z.strictObject({ kind: z.literal("rate"), oracle: id, scale: positive.default(1) }),
    z.strictObject({ kind: z.literal("fixed"), priceUsd: positive }),
  ],
  { error: "kind must be one of market, rate, fixed" },
);

const flag = z.boolean({ error: "not true or false" });

const aaveReserveSchema = z.strictObject({
  /** 0 for a borrow-only reserve (counts for nothing, never seized). */
  liquidationThreshold: fraction(false, false),
  liquidationBonus: bonus,
  protocolFee: fraction(false, false).default(0),
  oracle: id.optional(),
  /** Model 2.1 (docs/cascade-model-additions.md): no liquidation seizes or repays a paused reserve. Default false. */
  paused: flag.optional(),
  /** No new supply or borrow; liquidated as usual (informational). Default false. */
  frozen: flag.optional(),
  /** Unix seconds until which no liquidation seizes or repays it (V3.1+); not after `source.takenAt`: none. */
  liquidationGraceUntil: z
    .int({ error: "not an integer" })
    .min(0, { error: "must not be negative" })
    .optional(),
});

const aaveEmodeSchema = z.strictObject({
  liquidationThreshold: fraction(true, false),
  liquidationBonus: bonus,
  /** The category's collateral assets. */
  assets: z.array(id),
});

export const aaveMarketSchema = z.strictObject({
  id,
  protocol: z.literal("aave-v3"),
  liquidationLogic: z.enum(["v3.0", "v3.3"], { error: "must be v3.0 or v3.3" }).default("v3.0"),
  closeFactor: fraction(true, false).default(0.5),
  closeFactorHfThreshold: positive.default(0.95),
  fullCloseBelowUsd: amountSchema.default(2000),
  minLeftoverUsd: amountSchema.default(1000),
  liquidationGasUsd: gasUsd,
  reserves: z.record(id, aaveReserveSchema),
  emodes: z
    .record(
      z.string().regex(/^[1-9][0-9]*$/, { error: "eMode id must be an integer above 0" }),
      aaveEmodeSchema,
    )
    .default({}),
  /**
   * Model 2.1: the L2 price-oracle sentinel. While it disallows liquidations (sequencer down or in
   * its grace period), only positions with a health factor below 0.95 can be liquidated. Default: none.
   */
  sentinel: z
    .strictObject({
      liquidationAllowed: flag,
      gracePeriodSeconds: z.int({ error: "not an integer" }).min(0, { error: "must not be negative" }),
    })
    .optional(),
});

const aaveV4ReserveSchema = z.strictObject({
  collateralFactor: fraction(false, true),
  /** Above 1: 0.05 = a 105% maximum bonus. */
  maxLiquidationBonus: bonus,
  /** Share of the bonus that goes to the protocol. */
  liquidationFee: fraction(false, false).default(0),
  oracle: id.optional(),
});

/** A position's dynamic configuration of one asset; a field it leaves out is the reserve's. */
export const aaveV4DynamicConfigSchema = z.strictObject({
  collateralFactor: fraction(false, true).optional(),
  maxLiquidationBonus: bonus.optional(),
  liquidationFee: fraction(false, false).optional(),
});

export const aaveV4MarketSchema = z.strictObject({
  id,
  protocol: z.literal("aave-v4"),
  /** Health factor a liquidation restores; Aave V4 requires at least 1. */
  targetHealthFactor: finite().refine((v) => v >= 1, { message: "must be at least 1" }),
  healthFactorForMaxBonus: fraction(false, true),
  liquidationBonusFactor: fraction(false, false),
  /** Leftover debt or collateral worth less than this is taken whole. */
  dustUsd: amountSchema.default(1000),
  liquidationGasUsd: gasUsd,
  reserves: z.record(id, aaveV4ReserveSchema),
});

export const morphoMarketSchema = z.strictObject({
  id,
  protocol: z.literal("morpho-blue"),
  collateral: id,
  loan: id,
  lltv: fraction(true, true),
  collateralOracle: id.optional(),
  loanOracle: id.optional(),
  liquidationGasUsd: gasUsd,
});

export const compoundMarketSchema = z.strictObject({
  id,
  protocol: z.literal("compound-v3"),
  base: id,
  baseOracle: id.optional(),
  /** False when the comet's reserves are above target: absorbed collateral is not sold. */
  sellsAbsorbed: z.boolean({ error: "not true or false" }).default(true),
  liquidationGasUsd: gasUsd,
  collaterals: z.record(
    id,
    z.strictObject({
      liquidateCollateralFactor: fraction(true, false),
      liquidationFactor: fraction(true, false),
      oracle: id.optional(),
    }),
  ),
});

export const marketSchema = z.discriminatedUnion(
  "protocol",
  [aaveMarketSchema, aaveV4MarketSchema, morphoMarketSchema, compoundMarketSchema],
  {
    error: "protocol must be one of aave-v3, aave-v4, morpho-blue, compound-v3",
  },
);

export const positionSchema = z.strictObject({
  market: id,
  account: id,
  collateral: z.record(id, amountSchema),
  debt: z.record(id, amountSchema),
  /** Aave eMode category; 0 means none. */
  emode: z.int({ error: "not an integer" }).min(0, { error: "must not be negative" }).optional(),
  /** Aave V4: the position's own risk parameters per asset. */
  dynamicConfig: z.record(id, aaveV4DynamicConfigSchema).optional(),
});

export const sourceSchema = z.looseObject({
  chainIds: z.array(z.int()).default([]),
  blocks: z.record(z.string(), z.int().min(0)).default({}),
  takenAt: z.string().optional(),
  /** Markets whose data could not be refreshed: present but not current. */
  staleMarkets: z.array(id).default([]),
});

export const snapshotSchema = z.strictObject({
  schema: z.enum(SNAPSHOT_SCHEMAS, { error: `must be "${SNAPSHOT_SCHEMAS.join('" or "')}"` }),
  source: sourceSchema.default({ chainIds: [], blocks: {}, staleMarkets: [] }),
  assets: z.array(assetSchema),
  oracles: z.record(id, oracleSchema).default({}),
  markets: z.array(marketSchema),
  positions: z.array(positionSchema),
});

/** What a snapshot file may contain (defaults not yet applied). */
export type SnapshotInput = z.input<typeof snapshotSchema>;
/** A snapshot whose every field is checked, with defaults applied. */
export type SnapshotData = z.output<typeof snapshotSchema>;
export type AssetData = z.output<typeof assetSchema>;
export type LiquidityData = z.output<typeof liquiditySchema>;
export type OracleData = z.output<typeof oracleSchema>;
export type MarketData = z.output<typeof marketSchema>;
export type AaveMarketData = z.output<typeof aaveMarketSchema>;
export type AaveV4MarketData = z.output<typeof aaveV4MarketSchema>;
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

/** The quote an asset trades against (`"USD"` unless its liquidity names one). */
export function quoteOf(asset: AssetData): string {
  return asset.liquidity.quote ?? USD;
}
