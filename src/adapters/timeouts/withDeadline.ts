/**
 * The one time limit for outgoing work (sink deliveries, HTTP posts): `work` gets a signal that
 * aborts when `parent` aborts or the deadline passes, and the returned promise settles by then
 * even when `work` ignores its signal. A plain timer holds the controller until it settles:
 * `AbortSignal.timeout` combined through `AbortSignal.any` can be garbage-collected before it
 * fires on Node 20, and the limit silently disappears.
 */
import { TransientError } from "../../core/errors.js";

/** The deadline passed before the work finished. */
export class DeadlineExceededError extends TransientError {
  override readonly code = "DEADLINE_EXCEEDED";
}

/** The caller's signal aborted (a shutdown) before the work finished. */
export class WorkInterruptedError extends TransientError {
  override readonly code = "INTERRUPTED";
}

export async function withDeadline<T>(
  timeoutMs: number,
  parent: AbortSignal,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (parent.aborted) throw new WorkInterruptedError("stopped before it started");
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new DeadlineExceededError(`timed out after ${timeoutMs / 1000} s`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
    onAbort = () => {
      const error = new WorkInterruptedError("interrupted by shutdown");
      controller.abort(error);
      reject(error);
    };
    parent.addEventListener("abort", onAbort, { once: true });
  });
  const running = work(controller.signal);
  // Work that outlives its deadline may still fail later: that failure has nowhere to go.
  running.catch(() => undefined);
  try {
    return await Promise.race([running, limit]);
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) parent.removeEventListener("abort", onAbort);
  }
}
