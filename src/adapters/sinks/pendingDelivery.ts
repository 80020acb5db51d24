import type { AlertNotification } from "../../core/alerts/alertBook.js";

/**
 * One notification not yet delivered to one sink: what a restart must still send. The checkpoint
 * (single process) and the per-sink notify queues (Redis) keep these until delivered or given up.
 */
export interface PendingDelivery {
  readonly sink: string;
  readonly notification: AlertNotification;
}

/** One key per notification and sink. */
export const pendingKey = (p: PendingDelivery): string => `${p.notification.id}/${p.sink}`;
