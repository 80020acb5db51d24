/**
 * POSTs a JSON body and classifies the answer: 2xx is success, 408/429/5xx and network errors are
 * `SinkUnavailableError` (with the receiver's `Retry-After`), other statuses `SinkRejectedError`.
 * 410 is `SinkGoneError` (the endpoint is gone). The time limit is the caller's signal (see
 * `attemptDelivery`). The URL is a secret (Slack and webhook URLs carry tokens): it never appears
 * in an error.
 */
import { SinkGoneError, SinkRejectedError, SinkUnavailableError } from "./sinkDeliveryError.js";

/** Sent with every delivery, so a receiver's logs say who called. */
export const USER_AGENT = "cascade-monitor/0.1 (+alert delivery)";

export interface PostJsonOptions {
  readonly url: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Aborts the request: the delivery's deadline or a shutdown. */
  readonly signal: AbortSignal;
  /** Used only to name the sink in errors. */
  readonly sinkName: string;
  /** Clock for HTTP-date `Retry-After` values (milliseconds since the epoch). */
  readonly nowMs?: () => number;
}

/** `Retry-After` in milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

export async function postJson(options: PostJsonOptions): Promise<void> {
  let response: Response;
  try {
    response = await fetch(options.url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": USER_AGENT, ...options.headers },
      body: options.body,
      signal: options.signal,
      redirect: "error",
    });
  } catch {
    const reason = options.signal.aborted ? "aborted" : "could not connect";
    // The cause is dropped on purpose: undici's errors may quote the URL.
    throw new SinkUnavailableError(`sink "${options.sinkName}": ${reason}`, undefined);
  }
  // Drain the body so the connection is reused.
  await response.arrayBuffer().catch(() => undefined);
  if (response.ok) return;
  const status = response.status;
  if (status === 410)
    throw new SinkGoneError(`sink "${options.sinkName}": HTTP 410 Gone, the endpoint was removed`, {
      details: { status },
    });
  if (status === 408 || status === 429 || status >= 500) {
    const now = (options.nowMs ?? Date.now)();
    throw new SinkUnavailableError(
      `sink "${options.sinkName}": HTTP ${status}`,
      parseRetryAfterMs(response.headers.get("retry-after"), now),
      { details: { status } },
    );
  }
  throw new SinkRejectedError(`sink "${options.sinkName}": HTTP ${status}, not retried`, {
    details: { status },
  });
}
