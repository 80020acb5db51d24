/** Every metric the Grafana dashboard and the Prometheus rules query is one the monitor exports. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createMonitorMetrics } from "../../../src/adapters/metrics/monitorMetrics.js";

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8");
const referenced = (text: string) =>
  new Set(
    [...text.matchAll(/cascade_monitor_[a-z_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, "")),
  );

describe("dashboard and rules", () => {
  const exported = new Set(
    createMonitorMetrics({ processMetrics: true })
      .registry.getMetricsAsArray()
      .map((m) => (m as unknown as { name: string }).name),
  );

  it("query only exported metric names", () => {
    const dashboard = read("config/grafana/dashboards/cascade-monitor.json");
    const rules = read("config/prometheus/cascade-monitor.rules.yml");
    const names = [...referenced(dashboard), ...referenced(rules)];
    expect(names.length).toBeGreaterThan(15);
    expect(names.filter((n) => !exported.has(n))).toEqual([]);
  });

  it("has panels for the book, the curves, the scenarios and the monitor's health", () => {
    const dashboard = JSON.parse(read("config/grafana/dashboards/cascade-monitor.json")) as {
      uid: string;
      panels: Array<{ type: string; title: string }>;
    };
    expect(dashboard.uid).toBe("cascade-monitor");
    expect(dashboard.panels.filter((p) => p.type === "row").map((p) => p.title)).toEqual([
      "Book",
      "Liquidation curves",
      "Scenarios",
      "Risk",
      "Monitor health",
    ]);
  });
});
