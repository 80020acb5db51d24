import { redactUrls } from "../../adapters/chain/redactUrls.js";
import type { DaemonLogger } from "./daemonLogger.js";

/** The sync's and indexers' log callback on the daemon's structured logger (URLs redacted). */
export function syncLog(logger: DaemonLogger) {
  return (line: string, fields: Readonly<Record<string, unknown>> = {}): void => {
    const level = fields.level === "warn" || fields.level === "error" ? fields.level : "info";
    const { level: _level, ...rest } = fields;
    logger[level](rest, redactUrls(line));
  };
}
