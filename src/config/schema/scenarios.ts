/**
 * `scenarios`: what the daemon computes on every new snapshot: named shocks, liquidation curves
 * per asset over a shock grid, critical shocks, and positions near liquidation.
 */
import { z } from "zod";

/** A price move is a fraction above -1 (a fall of less than 100%) and at most +1 (a doubling). */
export const SHOCK_MAX = 1;
export const isShockFraction = (s: number): boolean => Number.isFinite(s) && s > -1 && s <= SHOCK_MAX;
/** One day: a longer cycle is a config mistake, and Node's timers overflow past 24.8 days. */
export const MAX_INTERVAL_SECONDS = 86_400;

const shockValue = z.number({ error: "not a number" }).refine(isShockFraction, {
  message: "must be a fraction in (-1, 1], e.g. -0.2",
});

export const scenarioSchema = z.strictObject({
  name: z.string({ error: "missing" }).regex(/^[A-Za-z0-9_.-]{1,64}$/, {
    error: "must be 1-64 letters, digits, '.', '_' or '-' (it is a metric label)",
  }),
  shock: z
    .record(z.string().min(1), shockValue)
    .refine((s) => Object.keys(s).length > 0, { message: "needs at least one asset" }),
});

/** -0.05, -0.10, …, -0.50: the default curve grid. */
export const DEFAULT_CURVE_SHOCKS: readonly number[] = Array.from({ length: 10 }, (_, i) => -(i + 1) / 20);

export const scenariosSectionSchema = z
  .strictObject({
    /** Seconds between two sync-and-simulate cycles (a new block is picked up at the next cycle). */
    intervalSeconds: z
      .number()
      .min(0.1, { error: "must be at least 0.1" })
      .max(MAX_INTERVAL_SECONDS, { error: `must be at most ${MAX_INTERVAL_SECONDS} (one day)` })
      .default(12),
    maxRounds: z.int().min(1).max(1000).default(50),
    list: z.array(scenarioSchema).default([]),
    curves: z
      .strictObject({
        assets: z.array(z.string().min(1)).default([]),
        shocks: z
          .array(shockValue)
          .min(1)
          .max(200)
          .default([...DEFAULT_CURVE_SHOCKS]),
      })
      .default({ assets: [], shocks: [...DEFAULT_CURVE_SHOCKS] }),
    /** Assets whose critical shock is searched each cycle. */
    criticalShockAssets: z.array(z.string().min(1)).default([]),
    /** Positions with a health factor below this are listed as at risk. */
    atRiskHealthFactor: z.number().gt(1, { error: "must be above 1" }).max(10).default(1.1),
    /**
     * Single process: worker threads that share a cycle's tasks (1: the cycle runs in the main
     * thread). Each thread holds its own compiled book. Distributed, the simulate processes share them.
     */
    threads: z
      .int({ error: "must be a whole number of threads" })
      .min(1, { error: "must be at least 1" })
      .max(64, { error: "must be at most 64" })
      .default(1),
    /**
     * Distributed: the sync stores each cycle's book in Redis as the block's changes, and the
     * whole book (a keyframe) every this many cycles, besides the first cycle, a full re-read and
     * a large change. A simulate process that joins late reads the keyframe and at most this many
     * changes; one that keeps up only applies the changes.
     */
    keyframeEveryCycles: z
      .int({ error: "must be a whole number of cycles" })
      .min(1, { error: "must be at least 1 (1: the whole book every cycle)" })
      .max(10_000, { error: "must be at most 10000" })
      .default(100),
  })
  .superRefine((section, ctx) => {
    const seen = new Set<string>();
    section.list.forEach((s, i) => {
      if (seen.has(s.name))
        ctx.addIssue({
          code: "custom",
          path: ["list", i, "name"],
          message: `duplicate scenario name "${s.name}"`,
        });
      seen.add(s.name);
    });
  });

export type ScenariosSection = z.output<typeof scenariosSectionSchema>;
export const DEFAULT_SCENARIOS_SECTION: ScenariosSection = scenariosSectionSchema.parse({});
