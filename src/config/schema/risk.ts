/**
 * `risk`: the Monte Carlo analyses the daemon runs on its own schedule: value-at-risk over
 * correlated price moves (`var`), the drivers of each named scenario (`drivers`), and the
 * liquidation-price clustering of chosen assets (`clustering`). Everything is off until asked.
 */
import { z } from "zod";
import { DEFAULT_CORRELATION, DEFAULT_VOLATILITY } from "../../core/risk/buildReturnModel.js";
import { parseHorizonHours } from "../../core/risk/parseHorizon.js";

const volatility = z
  .number({ error: "not a number" })
  .refine((v) => Number.isFinite(v) && v >= 0 && v <= 20, {
    message: "must be an annualised volatility in [0, 20], e.g. 0.8",
  });
const correlation = z
  .number({ error: "not a number" })
  .refine((r) => Number.isFinite(r) && r >= -1 && r <= 1, { message: "must be in [-1, 1]" });

const horizon = z.union([z.number(), z.string()]).transform((value, ctx) => {
  try {
    return parseHorizonHours(String(value), "horizon");
  } catch (error) {
    ctx.addIssue({ code: "custom", message: error instanceof Error ? error.message : String(error) });
    return z.NEVER;
  }
});

export const varSectionSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** Seconds between two VaR runs of the daemon (each on the newest book). */
  intervalSeconds: z.number().min(1, { error: "must be at least 1" }).default(300),
  /** `24h`, `7d`, … (a number is hours). */
  horizon: horizon.default(24),
  paths: z.int().min(1).max(1_000_000).default(1000),
  seed: z.int().min(0).max(0xffffffff).default(1),
  /** Annualised log-return volatility per asset id. */
  volatilities: z.record(z.string().min(1), volatility).default({}),
  defaultVolatility: volatility.default(DEFAULT_VOLATILITY),
  correlations: z
    .array(z.strictObject({ assets: z.tuple([z.string().min(1), z.string().min(1)]), correlation }))
    .default([]),
  defaultCorrelation: correlation.default(DEFAULT_CORRELATION),
  /** Normal, or Student-t with `degreesOfFreedom` above 2 (fat tails, unit variance). */
  tails: z
    .discriminatedUnion("kind", [
      z.strictObject({ kind: z.literal("normal") }),
      z.strictObject({
        kind: z.literal("student-t"),
        degreesOfFreedom: z
          .number()
          .gt(2, { error: "must be above 2 (the variance is infinite at 2 or less)" }),
      }),
    ])
    .default({ kind: "normal" }),
  /** Worker threads for the paths; default the machine's parallelism. */
  threads: z.int().min(1).max(256).optional(),
});

export const riskSectionSchema = z.strictObject({
  var: varSectionSchema.default(varSectionSchema.parse({})),
  drivers: z
    .strictObject({
      /** Names of `scenarios.list` entries whose drivers are computed each cycle. */
      scenarios: z.array(z.string().min(1)).default([]),
      /** Candidate positions (largest debt liquidated in the scenario) removed one at a time. */
      topPositions: z.int().min(1).max(100).default(10),
    })
    .default({ scenarios: [], topPositions: 10 }),
  clustering: z
    .strictObject({
      /** Assets whose liquidation-price distribution (direct and with cascade) is computed each cycle. */
      assets: z.array(z.string().min(1)).default([]),
      /** Bucket width as a fraction of the price (0.02 = 2% buckets). */
      step: z.number().gt(0).max(0.5).default(0.02),
    })
    .default({ assets: [], step: 0.02 }),
});

export type VarSection = z.output<typeof varSectionSchema>;
export type RiskSection = z.output<typeof riskSectionSchema>;
export const DEFAULT_RISK_SECTION: RiskSection = riskSectionSchema.parse({});
