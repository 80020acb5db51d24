/** `server`: the one HTTP port (metrics, probes, API) and what "fresh" and "behind" mean for `/readyz`. */
import { z } from "zod";

export const serverSectionSchema = z.strictObject({
  /** Bind address; loopback by default so nothing is exposed unless asked. */
  host: z.string().min(1).default("127.0.0.1"),
  port: z.int().min(0).max(65_535).default(9464),
  /** When set, `POST /api/simulate` needs `Authorization: Bearer <token>` (use `${ENV_VAR}`). */
  bearerToken: z.string().min(16, { error: "must be at least 16 characters" }).optional(),
  maxBodyBytes: z
    .int()
    .min(256)
    .max(10 * 1024 * 1024)
    .default(64 * 1024),
  simulateTimeoutSeconds: z.number().gt(0).max(300).default(10),
  /** `/readyz` answers 503 when the newest snapshot is older than this. */
  staleAfterSeconds: z
    .number()
    .gt(0)
    .max(30 * 86_400, { error: "must be at most 30 days" })
    .default(120),
  /**
   * `/readyz` answers 503 while the running cycle has made the monitor skip more than this many
   * cycle starts (it is that many blocks behind the chain, at one cycle per block).
   */
  maxCyclesBehind: z.int({ error: "must be a whole number of cycles" }).min(1).max(10_000).default(3),
});

export type ServerSection = z.output<typeof serverSectionSchema>;
export const DEFAULT_SERVER_SECTION: ServerSection = serverSectionSchema.parse({});
