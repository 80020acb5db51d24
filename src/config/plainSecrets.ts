/**
 * Secrets belong in the environment (`${NAME}` references), not in the config file: a file is
 * copied, committed and shown. These are the keys that hold one; written as plain text they are
 * still accepted (a local test setup), with a warning naming the key, never the value.
 */
import { formatPath } from "../core/snapshot/schema.js";

const SECRET_KEYS: Readonly<Record<string, readonly string[]>> = {
  webhook: ["url", "secret"],
  slack: ["webhookUrl"],
};

const isPlain = (value: unknown): boolean => typeof value === "string" && !value.includes("${");

/** Key paths of secrets written in plain text in a raw (unresolved) config. */
export function plainSecretPaths(raw: unknown): string[] {
  if (raw === null || typeof raw !== "object") return [];
  const config = raw as { sinks?: unknown; server?: { bearerToken?: unknown } };
  const paths: string[] = [];
  if (Array.isArray(config.sinks))
    config.sinks.forEach((sink: unknown, i) => {
      if (sink === null || typeof sink !== "object") return;
      const record = sink as Record<string, unknown>;
      for (const key of SECRET_KEYS[String(record.kind)] ?? [])
        if (isPlain(record[key])) paths.push(formatPath(["sinks", i, key]));
    });
  if (isPlain(config.server?.bearerToken)) paths.push("server.bearerToken");
  return paths;
}
