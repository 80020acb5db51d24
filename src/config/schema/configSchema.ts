/**
 * The top-level config schema, composed from one file per section. Each section's owner adds
 * its schema file next to this one and one line below.
 */
import { z } from "zod";
import { alertsSectionSchema } from "./alerts.js";
import { assetSchema } from "./assets.js";
import { chainSchema } from "./chains.js";
import { checkConfigReferences } from "./crossChecks.js";
import { devnetSectionSchema } from "./devnet.js";
import { marketConfigSchema } from "./markets.js";
import { riskSectionSchema } from "./risk.js";
import { scenariosSectionSchema } from "./scenarios.js";
import { serverSectionSchema } from "./server.js";
import { sinksSectionSchema } from "./sinks.js";

const sections = {
  chains: z.array(chainSchema).min(1, { error: "needs at least one chain" }),
  assets: z.array(assetSchema).default([]),
  markets: z.array(marketConfigSchema).default([]),
  devnet: devnetSectionSchema.optional(),
  scenarios: scenariosSectionSchema.default(scenariosSectionSchema.parse({})),
  alerts: alertsSectionSchema.default(alertsSectionSchema.parse({})),
  risk: riskSectionSchema.default(riskSectionSchema.parse({})),
  sinks: sinksSectionSchema,
  server: serverSectionSchema.default(serverSectionSchema.parse({})),
};

const sectionsSchema = z.strictObject(sections);
export type CascadeConfig = z.output<typeof sectionsSchema>;

export const configSchema = sectionsSchema.superRefine((config, ctx) => checkConfigReferences(config, ctx));
export type CascadeConfigInput = z.input<typeof configSchema>;
