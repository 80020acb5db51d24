/** Log sink: one structured log line per notification (always available, never fails). */
import type { AlertSink } from "./alertSink.js";

/** The part of a pino logger the sink uses. */
export interface SinkLogger {
  info(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
}

/** A log line cannot hang for long; the limit is there because every sink has one. */
const LOG_SINK_TIMEOUT_MS = 5_000;

export function createLogSink(name: string, logger: SinkLogger): AlertSink {
  return {
    name,
    kind: "log",
    timeoutMs: LOG_SINK_TIMEOUT_MS,
    async deliver(notification) {
      const write = notification.status === "firing" ? logger.warn.bind(logger) : logger.info.bind(logger);
      write(
        {
          notificationId: notification.id,
          status: notification.status,
          group: notification.groupLabels,
          alerts: notification.alerts.map((a) => ({
            status: a.status,
            labels: a.labels,
            summary: a.summary,
          })),
        },
        `alert ${notification.status}: ${notification.alerts.map((a) => a.summary).join("; ")}`,
      );
    },
  };
}
