/**
 * `sinks`: where alert notifications go. URLs and secrets come from `${ENV_VAR}` references and
 * never appear in messages (the URL check says "not an http(s) URL", not the value).
 */
import { z } from "zod";

const httpUrl = z.string({ error: "missing" }).refine(
  (value) => {
    try {
      return ["http:", "https:"].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  },
  { message: "not an http(s) URL" },
);
const name = z.string({ error: "missing" }).regex(/^[A-Za-z0-9_.-]{1,64}$/, {
  error: "must be 1-64 letters, digits, '.', '_' or '-' (it is a metric label)",
});
const timeoutSeconds = z.number().gt(0).max(120).default(10);

export const sinkSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({
      kind: z.literal("slack"),
      name,
      webhookUrl: httpUrl,
      dashboardUrl: httpUrl.optional(),
      timeoutSeconds,
    }),
    z.strictObject({
      kind: z.literal("webhook"),
      name,
      url: httpUrl,
      secret: z
        .string()
        .startsWith("whsec_", { error: 'must start with "whsec_" followed by base64 key bytes' })
        .optional(),
      timeoutSeconds,
    }),
    z.strictObject({
      kind: z.literal("alertmanager"),
      name,
      /** Alertmanager's base URL; alerts go to `<url>/api/v2/alerts`. */
      url: httpUrl,
      /** Labels added to every alert, for routing (`team: risk`); the alert's own labels win. */
      labels: z
        .record(z.string(), z.string())
        .superRefine((labels, ctx) => {
          for (const key of Object.keys(labels))
            if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
              ctx.addIssue({ code: "custom", path: [key], message: "not a Prometheus label name" });
        })
        .optional(),
      /** Shown by Alertmanager as the alert's source: the monitor's dashboard page. */
      generatorUrl: httpUrl.optional(),
      /** How long a firing alert stays active without being re-sent; default: twice alerts.repeatIntervalSeconds. */
      validForSeconds: z.number().gt(0).optional(),
      timeoutSeconds,
    }),
    z.strictObject({ kind: z.literal("log"), name }),
  ],
  { error: "kind must be one of slack, webhook, alertmanager, log" },
);

export const sinksSectionSchema = z
  .array(sinkSchema)
  .default([{ kind: "log", name: "log" }])
  .superRefine((sinks, ctx) => {
    const seen = new Set<string>();
    sinks.forEach((s, i) => {
      if (seen.has(s.name))
        ctx.addIssue({ code: "custom", path: [i, "name"], message: `duplicate sink name "${s.name}"` });
      seen.add(s.name);
    });
  });

export type SinkConfig = z.output<typeof sinkSchema>;
export type SinksSection = z.output<typeof sinksSectionSchema>;
