import { type CascadeErrorOptions, FatalError, TransientError } from "../../core/errors.js";

/** A delivery attempt that may succeed later (5xx, 429, timeout, connection refused). */
export class SinkUnavailableError extends TransientError {
  override readonly code = "SINK_UNAVAILABLE";
  /** Milliseconds the receiver asked us to wait (429/503 `Retry-After`), if it said. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, retryAfterMs: number | undefined, options: CascadeErrorOptions = {}) {
    super(message, options);
    this.retryAfterMs = retryAfterMs;
  }
}

/** A delivery the receiver refused for good (4xx other than 408/429): retrying cannot help. */
export class SinkRejectedError extends FatalError {
  override readonly code = "SINK_REJECTED";
}

export type SinkDeliveryError = SinkUnavailableError | SinkRejectedError;
