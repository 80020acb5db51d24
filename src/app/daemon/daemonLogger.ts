import { redactUrls } from "../../adapters/chain/redactUrls.js";

/** The part of a pino logger the daemon uses (pino's `Logger` satisfies it). */
export interface DaemonLogger {
  info(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
  error(object: Record<string, unknown>, message: string): void;
}

/** A short description of an error for a log line; URLs (which may carry keys) are redacted. */
export function errorSummary(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      error: redactUrls(error.message),
      name: error.name,
      ...(typeof code === "string" ? { code } : {}),
    };
  }
  return { error: redactUrls(String(error)) };
}
