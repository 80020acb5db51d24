/** The part of a pino logger the daemon uses (pino's `Logger` satisfies it). */
export interface DaemonLogger {
  info(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
  error(object: Record<string, unknown>, message: string): void;
}

/** A short, secret-free description of an error for a log line. */
export function errorSummary(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { error: error.message, name: error.name, ...(typeof code === "string" ? { code } : {}) };
  }
  return { error: String(error) };
}
