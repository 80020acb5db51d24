/**
 * A Slack Block Kit message for one notification: a header with the status and rule, one line per
 * alert with its numbers, and a context line with severity and a dashboard link.
 */
import type { AlertNotification } from "../../core/alerts/alertBook.js";

/** Slack shows at most 50 blocks and 3000 characters per section; list this many alerts, then "and N more". */
export const SLACK_MAX_ALERT_LINES = 10;

export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly unknown[];
}

const escapeMrkdwn = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function slackMessage(
  notification: AlertNotification,
  dashboardUrl: string | undefined,
): SlackMessage {
  const firing = notification.alerts.filter((a) => a.status === "firing");
  const resolved = notification.alerts.filter((a) => a.status === "resolved");
  const name = notification.groupLabels.alertname ?? notification.alerts[0]?.labels.alertname ?? "alert";
  const severity = notification.alerts[0]?.labels.severity ?? "warning";
  const title =
    notification.status === "firing"
      ? `FIRING: ${name} (${firing.length})${resolved.length > 0 ? `, ${resolved.length} resolved` : ""}`
      : `RESOLVED: ${name} (${resolved.length})`;
  const ordered = [...firing, ...resolved];
  const lines = ordered
    .slice(0, SLACK_MAX_ALERT_LINES)
    .map(
      (a) => `${a.status === "firing" ? ":red_circle:" : ":large_green_circle:"} ${escapeMrkdwn(a.summary)}`,
    );
  if (ordered.length > SLACK_MAX_ALERT_LINES)
    lines.push(`…and ${ordered.length - SLACK_MAX_ALERT_LINES} more`);
  const context = [
    `severity *${escapeMrkdwn(severity)}*`,
    `at ${new Date(notification.createdAtMs).toISOString()}`,
  ];
  if (dashboardUrl !== undefined) context.push(`<${dashboardUrl}|Open the dashboard>`);
  return {
    text: `${title}: ${ordered[0]?.summary ?? ""}`,
    blocks: [
      { type: "header", text: { type: "plain_text", text: title.slice(0, 150) } },
      { type: "section", text: { type: "mrkdwn", text: lines.join("\n").slice(0, 3000) } },
      { type: "context", elements: [{ type: "mrkdwn", text: context.join(" · ") }] },
    ],
  };
}
