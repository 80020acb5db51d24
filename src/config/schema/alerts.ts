/** `alerts`: rules, grouping and repeat interval (see docs/alerts.md). */
import { z } from "zod";
import { ALERT_SEVERITIES } from "../../core/alerts/alertRule.js";

const common = {
  name: z.string({ error: "missing" }).regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, {
    error: "must be a letter then up to 63 letters, digits or '_'",
  }),
  severity: z.enum(ALERT_SEVERITIES, { error: "must be info, warning or critical" }).default("warning"),
  /** Relative margin past the threshold before a firing alert resolves. */
  hysteresis: z.number().min(0).max(1).default(0.05),
};
/** Durations compared with the clock: bounded so a typo (1e10) is refused, not obeyed. */
const MAX_DURATION_SECONDS = 30 * 86_400;
const usd = z.number({ error: "not a number" }).min(0, { error: "must not be negative" });
const scenarioRef = z.string().min(1).default("*");

export const alertRuleSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({
      ...common,
      kind: z.literal("scenarioLiquidations"),
      scenario: scenarioRef,
      thresholdUsd: usd,
    }),
    z.strictObject({
      ...common,
      kind: z.literal("scenarioBadDebt"),
      scenario: scenarioRef,
      thresholdUsd: usd,
    }),
    z.strictObject({
      ...common,
      kind: z.literal("amplification"),
      scenario: scenarioRef,
      ratio: z.number().min(1),
    }),
    z.strictObject({
      ...common,
      kind: z.literal("crossProtocolCascade"),
      scenario: scenarioRef,
      minLiquidations: z.int().min(1).default(1),
    }),
    z.strictObject({
      ...common,
      kind: z.literal("criticalShock"),
      asset: z.string().min(1).default("*"),
      belowMagnitude: z
        .number()
        .gt(0)
        .lt(1, { error: "must be a fraction in (0, 1), e.g. 0.15 for a 15% drop" }),
    }),
    z.strictObject({
      ...common,
      kind: z.literal("positionAtRisk"),
      minDebtUsd: usd,
      maxHealthFactor: z.number().gt(0),
    }),
    z.strictObject({
      ...common,
      kind: z.literal("dataStale"),
      maxAgeSeconds: z.number().gt(0).max(MAX_DURATION_SECONDS, { error: "must be at most 30 days" }),
    }),
  ],
  {
    error:
      "kind must be one of scenarioLiquidations, scenarioBadDebt, amplification, crossProtocolCascade, criticalShock, positionAtRisk, dataStale",
  },
);

export const alertsSectionSchema = z
  .strictObject({
    groupBy: z.array(z.string().min(1)).default(["alertname"]),
    repeatIntervalSeconds: z
      .number()
      .min(1)
      .max(MAX_DURATION_SECONDS, { error: "must be at most 30 days" })
      .default(4 * 3600),
    rules: z.array(alertRuleSchema).default([]),
  })
  .superRefine((section, ctx) => {
    const seen = new Set<string>();
    section.rules.forEach((r, i) => {
      if (seen.has(r.name))
        ctx.addIssue({
          code: "custom",
          path: ["rules", i, "name"],
          message: `duplicate rule name "${r.name}"`,
        });
      seen.add(r.name);
    });
  });

export type AlertsSection = z.output<typeof alertsSectionSchema>;
export const DEFAULT_ALERTS_SECTION: AlertsSection = alertsSectionSchema.parse({});
