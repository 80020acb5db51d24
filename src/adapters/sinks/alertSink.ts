import type { AlertNotification } from "../../core/alerts/alertBook.js";

export const SINK_KINDS = ["slack", "webhook", "log"] as const;
export type SinkKind = (typeof SINK_KINDS)[number];

/**
 * Where alert notifications go. `deliver` throws a `SinkDeliveryError` when the attempt failed.
 * Sinks do not time themselves out: every attempt runs through `attemptDelivery`, which bounds it
 * by `timeoutMs` whatever the sink does with its signal.
 */
export interface AlertSink {
  /** Configured sink name; a bounded metric label. */
  readonly name: string;
  readonly kind: SinkKind;
  /** The longest one delivery attempt may take. */
  readonly timeoutMs: number;
  deliver(notification: AlertNotification, signal: AbortSignal): Promise<void>;
}
