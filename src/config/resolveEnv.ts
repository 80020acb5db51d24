/**
 * `${NAME}` references in config strings, replaced by environment variables. Secrets (API keys in
 * RPC URLs, webhook tokens) enter the config only this way; their values never appear in a message.
 */
import { UserInputError } from "../core/errors.js";
import { formatPath } from "../core/snapshot/schema.js";

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Returns a copy of `value` with every `${NAME}` in its strings replaced; an unset variable is a UserInputError. */
export function resolveEnv(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  path: PropertyKey[] = [],
): unknown {
  if (typeof value === "string") {
    return value.replace(REFERENCE, (_match, name: string) => {
      const resolved = env[name];
      if (resolved === undefined || resolved === "")
        throw new UserInputError(`${formatPath(path) || "config"}: environment variable ${name} is not set`);
      return resolved;
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => resolveEnv(item, env, [...path, i]));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = resolveEnv(item, env, [...path, key]);
    return out;
  }
  return value;
}
