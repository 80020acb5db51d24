/**
 * Bounded repetition of the same warning or error: during an outage every reconnect attempt of
 * every queue fails the same way, and one line each would flood the log. The first occurrence of a
 * message (with its error text) is written; repeats within `windowMs` are counted, and the next
 * one after the window is written with `repeated: <count>`. Info lines pass unchanged.
 */
import type { DaemonLogger } from "./daemonLogger.js";

export const REPEAT_WINDOW_MS = 60_000;

export function limitRepeats(
  logger: DaemonLogger,
  windowMs: number = REPEAT_WINDOW_MS,
  nowMs: () => number = Date.now,
): DaemonLogger {
  const seen = new Map<string, { lastWrittenMs: number; suppressed: number }>();
  const limited =
    (level: "warn" | "error") =>
    (object: Record<string, unknown>, message: string): void => {
      const key = `${level}\u0000${message}\u0000${String(object.error ?? "")}`;
      const now = nowMs();
      const entry = seen.get(key);
      if (entry !== undefined && now - entry.lastWrittenMs < windowMs) {
        entry.suppressed += 1;
        return;
      }
      const repeated = entry?.suppressed ?? 0;
      seen.set(key, { lastWrittenMs: now, suppressed: 0 });
      // Bounded memory: the vocabulary of messages is small, but never let it grow without limit.
      if (seen.size > 1000) seen.delete(seen.keys().next().value ?? key);
      logger[level](repeated > 0 ? { ...object, repeated } : object, message);
    };
  return {
    info: (object, message) => logger.info(object, message),
    warn: limited("warn"),
    error: limited("error"),
  };
}
