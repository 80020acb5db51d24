import type { AlertNotification } from "../../core/alerts/alertBook.js";

export const SINK_KINDS = ["slack", "webhook", "alertmanager", "log"] as const;
export type SinkKind = (typeof SINK_KINDS)[number];

/** Where alert notifications go. `deliver` throws a `SinkDeliveryError` when the attempt failed. */
export interface AlertSink {
  /** Configured sink name; a bounded metric label. */
  readonly name: string;
  readonly kind: SinkKind;
  deliver(notification: AlertNotification, signal: AbortSignal): Promise<void>;
}
