import { type CascadeErrorOptions, FatalError, TransientError } from "../../core/errors.js";

/** A delivery attempt that may succeed later (5xx, 429, timeout, connection refused). */
export class SinkUnavailableError extends TransientError {
  override readonly code: string = "SINK_UNAVAILABLE";
  /** Milliseconds the receiver asked us to wait (429/503 `Retry-After`), if it said. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, retryAfterMs: number | undefined, options: CascadeErrorOptions = {}) {
    super(message, options);
    this.retryAfterMs = retryAfterMs;
  }
}

/** The process stopped during the attempt: the delivery stays pending and is tried again after a restart. */
export class SinkInterruptedError extends SinkUnavailableError {
  override readonly code = "SINK_INTERRUPTED";
}

/** A delivery the receiver refused for good (4xx other than 408/429): retrying cannot help. */
export class SinkRejectedError extends FatalError {
  override readonly code: string = "SINK_REJECTED";
}

/** HTTP 410: the endpoint is gone for good (Standard Webhooks): the sink is disabled until a restart. */
export class SinkGoneError extends SinkRejectedError {
  override readonly code = "SINK_GONE";
}

export type SinkDeliveryError = SinkUnavailableError | SinkRejectedError;
