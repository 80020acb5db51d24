import { z } from "zod";
import { isShockFraction } from "../../config/schema/scenarios.js";

/** `POST /api/simulate` body: `{ "shock": { "WETH": -0.2 }, "maxRounds": 50 }`. */
export const simulateRequestSchema = z.strictObject({
  shock: z
    .record(
      z.string().min(1),
      z
        .number({ error: "not a number" })
        .refine(isShockFraction, { message: "must be a fraction in (-1, 1] (e.g. -0.2 for a 20% drop)" }),
    )
    .refine((shock) => Object.keys(shock).length > 0, { message: "needs at least one asset" }),
  maxRounds: z.int().min(1).max(1000).default(50),
});
export type SimulateRequest = z.output<typeof simulateRequestSchema>;
