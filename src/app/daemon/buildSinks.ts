/** The configured sinks as delivery adapters. */
import type { AlertSink } from "../../adapters/sinks/alertSink.js";
import { createLogSink, type SinkLogger } from "../../adapters/sinks/logSink.js";
import { createSlackSink } from "../../adapters/sinks/slackSink.js";
import { createWebhookSink } from "../../adapters/sinks/webhookSink.js";
import type { SinksSection } from "../../config/schema/sinks.js";

export function buildSinks(section: SinksSection, logger: SinkLogger): AlertSink[] {
  return section.map((sink) => {
    switch (sink.kind) {
      case "slack":
        return createSlackSink({
          name: sink.name,
          webhookUrl: sink.webhookUrl,
          timeoutMs: sink.timeoutSeconds * 1000,
          ...(sink.dashboardUrl === undefined ? {} : { dashboardUrl: sink.dashboardUrl }),
        });
      case "webhook":
        return createWebhookSink({
          name: sink.name,
          url: sink.url,
          timeoutMs: sink.timeoutSeconds * 1000,
          ...(sink.secret === undefined ? {} : { secret: sink.secret }),
        });
      default:
        return createLogSink(sink.name, logger);
    }
  });
}
