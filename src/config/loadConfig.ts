/** Reads, resolves and validates a YAML or JSON config file (JSON is YAML). */
import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import type { z } from "zod";
import { UserInputError } from "../core/errors.js";
import { formatPath } from "../core/snapshot/schema.js";
import { plainSecretPaths } from "./plainSecrets.js";
import { resolveEnv } from "./resolveEnv.js";
import { type CascadeConfig, configSchema } from "./schema/configSchema.js";

const MAX_ISSUES = 5;

/** Validates an already-parsed config object; errors name the key path (`markets[2].pool: not an address`). */
export function parseConfig(
  raw: unknown,
  env: Readonly<Record<string, string | undefined>> = {},
): CascadeConfig {
  const resolved = resolveEnv(raw, env);
  const result = configSchema.safeParse(resolved);
  if (!result.success) throw new UserInputError(describeIssues(result.error.issues));
  return result.data;
}

/**
 * Loads `file`; `env` defaults to the process environment (only `${NAME}` references read it).
 * `onWarning` hears of secrets written in plain text (see `plainSecretPaths`).
 */
export async function loadConfig(
  file: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
  onWarning: (message: string) => void = () => undefined,
): Promise<CascadeConfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (cause) {
    throw new UserInputError(`--config ${file}: cannot read the file`, { cause });
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (cause) {
    const where = cause instanceof Error && "linePos" in cause ? lineOf(cause) : "";
    throw new UserInputError(`--config ${file}: not valid YAML or JSON${where}`, { cause });
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    throw new UserInputError(`--config ${file}: expected a mapping with chains, assets and markets`);
  const config = parseConfig(raw, env);
  for (const path of plainSecretPaths(raw))
    onWarning(`${path}: a secret written in the config file; give it as \${ENV_VAR} instead`);
  return config;
}

function lineOf(error: Error): string {
  const linePos = (error as Error & { linePos?: ReadonlyArray<{ line: number; col: number }> }).linePos;
  const first = linePos?.[0];
  return first === undefined ? "" : ` (line ${first.line}, column ${first.col})`;
}

function describeIssues(issues: ReadonlyArray<z.core.$ZodIssue>): string {
  const lines = issues.slice(0, MAX_ISSUES).map((issue) => {
    const path = formatPath(issue.path);
    return path === "" ? issue.message : `${path}: ${issue.message}`;
  });
  const more = issues.length > MAX_ISSUES ? ` (and ${issues.length - MAX_ISSUES} more)` : "";
  return `${lines.join("; ")}${more}`;
}
