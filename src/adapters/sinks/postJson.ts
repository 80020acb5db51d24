/**
 * POSTs a JSON body and classifies the answer: 2xx is success, 408/429/5xx and network errors are
 * `SinkUnavailableError` (with the receiver's `Retry-After`), other statuses `SinkRejectedError`.
 * The URL is a secret (Slack and webhook URLs carry tokens): it never appears in an error.
 */
import { SinkRejectedError, SinkUnavailableError } from "./sinkDeliveryError.js";

export interface PostJsonOptions {
  readonly url: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
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
  const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]);
  let response: Response;
  try {
    response = await fetch(options.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...options.headers },
      body: options.body,
      signal,
      redirect: "error",
    });
  } catch (error) {
    const reason =
      error instanceof Error && error.name === "TimeoutError" ? "timed out" : "could not connect";
    // The cause is dropped on purpose: undici's errors may quote the URL.
    throw new SinkUnavailableError(`sink "${options.sinkName}": ${reason}`, undefined);
  }
  // Drain the body so the connection is reused.
  await response.arrayBuffer().catch(() => undefined);
  if (response.ok) return;
  const status = response.status;
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
