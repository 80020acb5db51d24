import { redactUrls } from "../../adapters/chain/redactUrls.js";
import type { DaemonLogger } from "./daemonLogger.js";

/**
 * The sync's and indexers' log callback on the daemon's structured logger: the line's `event`
 * field is the message (a stable name to search for), its facts (`chain`, `chainId`, `block`,
 * `market`, `indexer`, ...) are fields, the human line is `detail`, and `level` picks warn or
 * error. URLs are redacted from every string.
 */
export function syncLog(logger: DaemonLogger) {
  return (line: string, fields: Readonly<Record<string, unknown>> = {}): void => {
    const { level, event, ...facts } = fields;
    const safe = Object.fromEntries(
      Object.entries(facts).map(([key, value]) => [
        key,
        typeof value === "string" ? redactUrls(value) : value,
      ]),
    );
    const write = level === "warn" || level === "error" ? logger[level] : logger.info;
    write.call(logger, { ...safe, detail: redactUrls(line) }, typeof event === "string" ? event : "sync");
  };
}
