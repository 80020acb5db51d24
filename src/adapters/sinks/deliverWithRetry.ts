/**
 * Delivers one notification to one sink, retrying transient failures with exponential backoff
 * and honouring the receiver's `Retry-After`. Used by the single-process daemon; with Redis the
 * same policy runs as BullMQ attempts and backoff (see `sinkBackoffMs`).
 */
import { setTimeout as sleepFor } from "node:timers/promises";
import type { AlertNotification } from "../../core/alerts/alertBook.js";
import type { AlertSink } from "./alertSink.js";
import { attemptDelivery } from "./attemptDelivery.js";
import { SinkInterruptedError, SinkUnavailableError } from "./sinkDeliveryError.js";

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 60_000 };

/** The longest `Retry-After` honoured as given; a longer one (or a date far ahead) waits this long. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/**
 * Delay before retry number `attempt` (1 = first retry): the receiver's Retry-After when it gave one
 * (up to an hour), else base·2^(attempt−1) capped at `maxDelayMs`.
 */
export function sinkBackoffMs(attempt: number, error: unknown, policy: RetryPolicy): number {
  if (error instanceof SinkUnavailableError && error.retryAfterMs !== undefined) {
    return Math.min(error.retryAfterMs, MAX_RETRY_AFTER_MS);
  }
  return Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
}

export interface DeliveryOutcome {
  readonly sink: string;
  readonly ok: boolean;
  readonly attempts: number;
  readonly error?: unknown;
  /** The process stopped before the delivery finished: it is still pending, not given up. */
  readonly interrupted: boolean;
}

export async function deliverWithRetry(
  sink: AlertSink,
  notification: AlertNotification,
  policy: RetryPolicy,
  signal: AbortSignal,
): Promise<DeliveryOutcome> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await attemptDelivery(sink, notification, signal);
      return { sink: sink.name, ok: true, attempts: attempt, interrupted: false };
    } catch (error) {
      const interrupted = error instanceof SinkInterruptedError || signal.aborted;
      const retryable = error instanceof SinkUnavailableError;
      if (!retryable || attempt >= policy.maxAttempts || interrupted) {
        return { sink: sink.name, ok: false, attempts: attempt, error, interrupted };
      }
      try {
        await sleepFor(sinkBackoffMs(attempt, error, policy), undefined, { signal });
      } catch {
        return { sink: sink.name, ok: false, attempts: attempt, error, interrupted: true };
      }
    }
  }
}

/** Delivers to every sink concurrently; a sink that is down or slow never delays the others' deliveries. */
export async function deliverToAll(
  sinks: readonly AlertSink[],
  notification: AlertNotification,
  policy: RetryPolicy,
  signal: AbortSignal,
  onOutcome?: (outcome: DeliveryOutcome, sink: AlertSink) => void,
): Promise<DeliveryOutcome[]> {
  return Promise.all(
    sinks.map(async (sink) => {
      const outcome = await deliverWithRetry(sink, notification, policy, signal);
      onOutcome?.(outcome, sink);
      return outcome;
    }),
  );
}
