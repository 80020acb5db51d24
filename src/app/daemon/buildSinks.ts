/** The configured sinks as delivery adapters. */
import { createAlertmanagerSink } from "../../adapters/sinks/alertmanagerSink.js";
import type { AlertSink } from "../../adapters/sinks/alertSink.js";
import { createLogSink, type SinkLogger } from "../../adapters/sinks/logSink.js";
import { createSlackSink } from "../../adapters/sinks/slackSink.js";
import { createWebhookSink } from "../../adapters/sinks/webhookSink.js";
import type { SinksSection } from "../../config/schema/sinks.js";

/**
 * `repeatIntervalSeconds` is the alert book's: a firing alert sent to Alertmanager stays active for
 * twice that unless its sink says otherwise, so it never lapses between two repeats.
 */
export function buildSinks(
  section: SinksSection,
  logger: SinkLogger,
  repeatIntervalSeconds: number,
): AlertSink[] {
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
      case "alertmanager":
        return createAlertmanagerSink({
          name: sink.name,
          url: sink.url,
          validForMs: (sink.validForSeconds ?? 2 * repeatIntervalSeconds) * 1000,
          timeoutMs: sink.timeoutSeconds * 1000,
          ...(sink.labels === undefined ? {} : { labels: sink.labels }),
          ...(sink.generatorUrl === undefined ? {} : { generatorUrl: sink.generatorUrl }),
        });
      default:
        return createLogSink(sink.name, logger);
    }
  });
}
