/**
 * Retries work that failed for a reason that may pass (timeouts, 429s, malformed replies) with
 * exponential backoff; a fault retrying cannot fix (a revert, wrong chain) is thrown at once.
 * This sits above viem's per-request retries: it also covers replies viem accepted but that
 * failed to decode, and whole multi-request steps.
 */
import { classifyRpcError } from "../../adapters/chain/classifyRpcError.js";
import { isCascadeError } from "../../core/errors.js";

export interface RetryTransientOptions {
  readonly attempts?: number;
  readonly baseDelayMs?: number;
  readonly signal?: AbortSignal;
  readonly onRetry?: (attempt: number, error: unknown) => void;
}

export async function retryTransient<T>(
  work: () => Promise<T>,
  options: RetryTransientOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 4;
  const baseDelayMs = options.baseDelayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const fault = classifyRpcError(error);
      // A pruned block cannot come back: the caller must move to the new head instead.
      const fatal = (isCascadeError(error) && !error.retryable) || fault === "fatal" || fault === "pruned";
      if (fatal || attempt >= attempts || options.signal?.aborted === true) throw error;
      options.onRetry?.(attempt, error);
      await new Promise((resolve) => setTimeout(resolve, baseDelayMs * 2 ** (attempt - 1)));
    }
  }
}
