/**
 * One delivery attempt to any sink, the same for every sink and both run modes: bounded by the
 * sink's `timeoutMs` (see `withDeadline`), a timeout or a shutdown becoming a retryable
 * `SinkUnavailableError` that says which.
 */
import type { AlertNotification } from "../../core/alerts/alertBook.js";
import { DeadlineExceededError, WorkInterruptedError, withDeadline } from "../timeouts/withDeadline.js";
import type { AlertSink } from "./alertSink.js";
import { SinkInterruptedError, SinkUnavailableError } from "./sinkDeliveryError.js";

export async function attemptDelivery(
  sink: AlertSink,
  notification: AlertNotification,
  signal: AbortSignal,
): Promise<void> {
  try {
    await withDeadline(sink.timeoutMs, signal, (bounded) => sink.deliver(notification, bounded));
  } catch (error) {
    if (error instanceof DeadlineExceededError)
      throw new SinkUnavailableError(
        `sink "${sink.name}": timed out after ${sink.timeoutMs / 1000} s`,
        undefined,
      );
    if (error instanceof WorkInterruptedError || signal.aborted)
      throw new SinkInterruptedError(`sink "${sink.name}": delivery interrupted by shutdown`, undefined);
    throw error;
  }
}
