/**
 * Generic webhook sink: POSTs the notification as JSON, signed per Standard Webhooks
 * (`webhook-id`, `webhook-timestamp`, `webhook-signature`). The message id is the notification id,
 * the same on every retry, so a receiver can drop duplicates.
 */
import type { AlertNotification } from "../../core/alerts/alertBook.js";
import type { AlertSink } from "./alertSink.js";
import { postJson } from "./postJson.js";
import { decodeWebhookSecret, signStandardWebhook } from "./standardWebhookSignature.js";

export interface WebhookSinkOptions {
  readonly name: string;
  readonly url: string;
  /** `whsec_…`; when absent the request is sent unsigned (id and timestamp headers still set). */
  readonly secret?: string;
  readonly timeoutMs: number;
  readonly nowMs?: () => number;
}

/** The JSON body: `{ type, timestamp, data }` as Standard Webhooks suggests. */
export function webhookPayload(notification: AlertNotification): unknown {
  return {
    type: `alert.${notification.status}`,
    timestamp: new Date(notification.createdAtMs).toISOString(),
    data: {
      id: notification.id,
      groupKey: notification.groupKey,
      groupLabels: notification.groupLabels,
      status: notification.status,
      reason: notification.reason,
      alerts: notification.alerts.map((a) => ({
        fingerprint: a.fingerprint,
        status: a.status,
        labels: a.labels,
        value: a.value,
        threshold: a.threshold,
        summary: a.summary,
        startsAt: new Date(a.startsAtMs).toISOString(),
        endsAt: a.endsAtMs === null ? null : new Date(a.endsAtMs).toISOString(),
      })),
    },
  };
}

export function createWebhookSink(options: WebhookSinkOptions): AlertSink {
  const key =
    options.secret === undefined
      ? undefined
      : decodeWebhookSecret(options.secret, `sinks.${options.name}.secret`);
  const now = options.nowMs ?? Date.now;
  return {
    name: options.name,
    kind: "webhook",
    timeoutMs: options.timeoutMs,
    async deliver(notification, signal) {
      const body = JSON.stringify(webhookPayload(notification));
      const id = `msg_${notification.id}`;
      const timestamp = Math.floor(now() / 1000);
      const headers: Record<string, string> = { "webhook-id": id, "webhook-timestamp": String(timestamp) };
      if (key !== undefined) headers["webhook-signature"] = signStandardWebhook(key, id, timestamp, body);
      await postJson({
        url: options.url,
        body,
        headers,
        signal,
        sinkName: options.name,
        nowMs: now,
      });
    },
  };
}
