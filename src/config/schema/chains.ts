/** `chains`: where to read each chain, how hard to retry, and how deep a reorg may be. */
import { z } from "zod";
import { chainIdSchema, nonEmptyString, positiveInt, urlSchema } from "./primitives.js";

export const chainSchema = z.strictObject({
  id: chainIdSchema,
  name: nonEmptyString,
  /** One or more RPC URLs; several form a viem `fallback` transport ranked by latency and stability. */
  rpc: z
    .union([urlSchema, z.array(urlSchema).min(1, { error: "needs at least one URL" })])
    .transform((value) => (typeof value === "string" ? [value] : value)),
  /** Blocks behind the head that may still be reorganised: the rollback window. */
  confirmations: z.int({ error: "not an integer" }).min(0, { error: "must be ≥ 0" }).default(12),
  /** Per-request timeout. */
  timeoutMs: positiveInt.max(600_000, { error: "must be at most 600000 (10 minutes)" }).default(10_000),
  /** Retries per request (exponential backoff, honouring Retry-After on 429). */
  retries: z.int({ error: "not an integer" }).min(0).max(20).default(4),
  /** Base delay of the exponential backoff. */
  retryDelayMs: positiveInt.max(60_000, { error: "must be at most 60000" }).default(150),
  /** Largest `eth_getLogs` block range tried; ranges halve on provider range errors. */
  maxBlockRange: positiveInt.default(10_000),
  /** How often the live sync polls for a new head. */
  pollingIntervalMs: positiveInt
    .max(3_600_000, { error: "must be at most 3600000 (an hour)" })
    .default(2_000),
  /**
   * The live sync re-reads every position this often (blocks): Aave and Compound balances grow by
   * interest without an event, so between full reads they lag by at most this many blocks.
   */
  fullRefreshBlocks: positiveInt.default(100),
  /** Calldata bytes per multicall chunk (viem `batchSize`). */
  multicallBatchBytes: positiveInt.default(4_096),
  /**
   * JSON-RPC requests made in the same tick go out as one HTTP batch of at most this many (viem
   * `http` `batch`); absent: one HTTP request each. Only for HTTP URLs whose provider accepts batches.
   */
  rpcBatchSize: positiveInt.max(1_000, { error: "must be at most 1000" }).optional(),
});

export type ChainConfig = z.output<typeof chainSchema>;
