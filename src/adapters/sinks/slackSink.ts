/** Slack incoming-webhook sink: posts a Block Kit message (see `slackMessage`). */
import type { AlertSink } from "./alertSink.js";
import { postJson } from "./postJson.js";
import { slackMessage } from "./slackMessage.js";

export interface SlackSinkOptions {
  readonly name: string;
  /** The incoming-webhook URL: a secret, never logged. */
  readonly webhookUrl: string;
  readonly dashboardUrl?: string;
  readonly timeoutMs: number;
}

export function createSlackSink(options: SlackSinkOptions): AlertSink {
  return {
    name: options.name,
    kind: "slack",
    timeoutMs: options.timeoutMs,
    async deliver(notification, signal) {
      const body = JSON.stringify(slackMessage(notification, options.dashboardUrl));
      await postJson({
        url: options.webhookUrl,
        body,
        signal,
        sinkName: options.name,
      });
    },
  };
}
