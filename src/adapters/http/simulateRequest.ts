import { z } from "zod";

/** `POST /api/simulate` body: `{ "shock": { "WETH": -0.2 }, "maxRounds": 50 }`. */
export const simulateRequestSchema = z.strictObject({
  shock: z
    .record(
      z.string().min(1),
      z
        .number({ error: "not a number" })
        .refine((s) => Number.isFinite(s) && s > -1, { message: "must be a fraction above -1 (e.g. -0.2)" }),
    )
    .refine((shock) => Object.keys(shock).length > 0, { message: "needs at least one asset" }),
  maxRounds: z.int().min(1).max(1000).default(50),
});
export type SimulateRequest = z.output<typeof simulateRequestSchema>;
