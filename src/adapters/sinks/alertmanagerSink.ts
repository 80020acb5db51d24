/**
 * Alertmanager sink: posts each notification's alerts to Alertmanager's `POST /api/v2/alerts`, so
 * teams route, silence and inhibit them with the Alertmanager they already run. An alert's identity
 * there is its label set (the same labels as the monitor's fingerprint); annotations carry the
 * summary, value and threshold. A firing alert is sent with `endsAt` `validForMs` ahead: Alertmanager
 * keeps it active until then, and the monitor re-sends it at each repeat. A resolved alert is sent
 * with its resolution time as `endsAt`, which resolves it at once.
 */
import type { AlertNotification, AlertRecord } from "../../core/alerts/alertBook.js";
import type { AlertSink } from "./alertSink.js";
import { postJson } from "./postJson.js";

export interface AlertmanagerSinkOptions {
  readonly name: string;
  /** Alertmanager's base URL (`http://alertmanager:9093`); `/api/v2/alerts` is appended. */
  readonly url: string;
  /** Labels added to every alert (e.g. `{ team: "risk" }`); the alert's own labels win. */
  readonly labels?: Readonly<Record<string, string>>;
  /** The link Alertmanager shows as the alert's source (the monitor's dashboard). */
  readonly generatorUrl?: string;
  /** How long a firing alert stays active in Alertmanager without being re-sent. */
  readonly validForMs: number;
  readonly timeoutMs: number;
  readonly nowMs?: () => number;
}

/** One alert as Alertmanager's API v2 `postableAlert`. */
export interface PostableAlert {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly generatorURL?: string;
}

function postableAlert(alert: AlertRecord, options: AlertmanagerSinkOptions, nowMs: number): PostableAlert {
  const endsAtMs =
    alert.status === "resolved" && alert.endsAtMs !== null ? alert.endsAtMs : nowMs + options.validForMs;
  return {
    labels: { ...options.labels, ...alert.labels },
    annotations: {
      summary: alert.summary,
      value: String(alert.value),
      threshold: String(alert.threshold),
      fingerprint: alert.fingerprint,
    },
    startsAt: new Date(alert.startsAtMs).toISOString(),
    endsAt: new Date(endsAtMs).toISOString(),
    ...(options.generatorUrl === undefined ? {} : { generatorURL: options.generatorUrl }),
  };
}

/** The request body: every alert of the notification, firing and resolved. */
export function alertmanagerPayload(
  notification: AlertNotification,
  options: AlertmanagerSinkOptions,
  nowMs: number,
): PostableAlert[] {
  return notification.alerts.map((a) => postableAlert(a, options, nowMs));
}

export function createAlertmanagerSink(options: AlertmanagerSinkOptions): AlertSink {
  const endpoint = `${options.url.replace(/\/+$/, "")}/api/v2/alerts`;
  const now = options.nowMs ?? Date.now;
  return {
    name: options.name,
    kind: "alertmanager",
    timeoutMs: options.timeoutMs,
    async deliver(notification, signal) {
      await postJson({
        url: endpoint,
        body: JSON.stringify(alertmanagerPayload(notification, options, now())),
        signal,
        sinkName: options.name,
        nowMs: now,
      });
    },
  };
}
