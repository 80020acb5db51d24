/** Small zod building blocks shared by the config sections. */
import { getAddress, isAddress } from "viem";
import { z } from "zod";

/** An EVM address (any case); normalised to its checksummed form. */
export const addressSchema = z
  .string({ error: (issue) => (issue.input === undefined ? "missing" : "not an address") })
  .refine((value) => isAddress(value, { strict: false }), { message: "not an address" })
  .transform((value) => getAddress(value));

/** A 32-byte hex key (a Morpho Blue market id). */
export const bytes32Schema = z
  .string({ error: (issue) => (issue.input === undefined ? "missing" : "not a 32-byte hex string") })
  .regex(/^0x[0-9a-fA-F]{64}$/, { message: "not a 32-byte hex string (0x + 64 hex digits)" })
  .transform((value) => value.toLowerCase() as `0x${string}`);

export const nonEmptyString = z
  .string({ error: (issue) => (issue.input === undefined ? "missing" : "not a string") })
  .min(1, { error: "must not be empty" });

/** An http(s) or ws(s) URL; the value itself never appears in a message (it may carry a key). */
export const urlSchema = z
  .string({ error: (issue) => (issue.input === undefined ? "missing" : "not a URL") })
  .refine(
    (value) => {
      try {
        return ["http:", "https:", "ws:", "wss:"].includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: "not an http(s) or ws(s) URL" },
  );

export const blockNumberSchema = z
  .int({ error: "not a block number (an integer ≥ 0)" })
  .min(0, { error: "not a block number (an integer ≥ 0)" });

export const positiveInt = z.int({ error: "not an integer" }).min(1, { error: "must be at least 1" });

export const finiteNumber = z
  .number({ error: (issue) => (issue.input === undefined ? "missing" : "not a number") })
  .refine(Number.isFinite, { message: "not a number" });

/** A chain id as it appears in keys (`"31337"`) or values (`31337`). */
export const chainIdSchema = z
  .int({ error: "not a chain id (an integer)" })
  .min(1, { error: "not a chain id" });
