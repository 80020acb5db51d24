/**
 * Standard Webhooks signing: `webhook-signature: v1,<base64 HMAC-SHA256(key, "id.timestamp.body")>`
 * where the key is the base64 part of a `whsec_…` secret and the timestamp is in Unix seconds.
 */
import { createHmac } from "node:crypto";
import { UserInputError } from "../../core/errors.js";

const SECRET_PREFIX = "whsec_";

/** Decodes a `whsec_<base64>` secret to its key bytes; refuses anything else (without echoing it). */
export function decodeWebhookSecret(secret: string, field: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) {
    throw new UserInputError(`${field}: must start with "${SECRET_PREFIX}" followed by base64 key bytes`);
  }
  const body = secret.slice(SECRET_PREFIX.length);
  const key = Buffer.from(body, "base64");
  if (key.length < 16 || key.toString("base64").replace(/=+$/, "") !== body.replace(/=+$/, "")) {
    throw new UserInputError(
      `${field}: the part after "${SECRET_PREFIX}" must be base64 of at least 16 bytes`,
    );
  }
  return key;
}

/** The `webhook-signature` header value for one message. */
export function signStandardWebhook(key: Buffer, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac("sha256", key).update(`${id}.${timestampSeconds}.${body}`).digest("base64");
  return `v1,${mac}`;
}
