import { describe, expect, it } from "vitest";
import { alertsSectionSchema } from "../../../src/config/schema/alerts.js";
import { scenariosSectionSchema } from "../../../src/config/schema/scenarios.js";
import { serverSectionSchema } from "../../../src/config/schema/server.js";
import { sinksSectionSchema } from "../../../src/config/schema/sinks.js";

const firstIssue = (result: {
  success: boolean;
  error?: { issues: Array<{ path: PropertyKey[]; message: string }> };
}) => {
  const issue = result.error?.issues[0];
  return issue === undefined ? undefined : `${issue.path.join(".")}: ${issue.message}`;
};

describe("daemon config sections", () => {
  it("applies defaults: loopback bind, log sink, 5% hysteresis, a -5%..-50% curve grid", () => {
    expect(serverSectionSchema.parse({})).toMatchObject({ host: "127.0.0.1", port: 9464 });
    expect(sinksSectionSchema.parse(undefined)).toEqual([{ kind: "log", name: "log" }]);
    const rule = alertsSectionSchema.parse({
      rules: [{ kind: "dataStale", name: "Stale", maxAgeSeconds: 60 }],
    }).rules[0];
    expect(rule).toEqual({
      kind: "dataStale",
      name: "Stale",
      maxAgeSeconds: 60,
      severity: "warning",
      hysteresis: 0.05,
    });
    const grid = scenariosSectionSchema.parse({}).curves.shocks;
    expect(grid).toHaveLength(10);
    expect(grid[0]).toBeCloseTo(-0.05, 12);
    expect(grid[9]).toBeCloseTo(-0.5, 12);
  });

  it("names the key that is wrong and what would be right", () => {
    expect(
      firstIssue(scenariosSectionSchema.safeParse({ list: [{ name: "a", shock: { WETH: -1.2 } }] })),
    ).toBe("list.0.shock.WETH: must be a fraction in (-1, 1], e.g. -0.2");
    expect(
      firstIssue(
        scenariosSectionSchema.safeParse({
          list: [
            { name: "a", shock: { WETH: -0.1 } },
            { name: "a", shock: { WETH: -0.2 } },
          ],
        }),
      ),
    ).toBe('list.1.name: duplicate scenario name "a"');
    expect(firstIssue(alertsSectionSchema.safeParse({ rules: [{ kind: "nope", name: "X" }] }))).toContain(
      "kind must be one of scenarioLiquidations",
    );
    expect(
      firstIssue(
        sinksSectionSchema.safeParse([{ kind: "webhook", name: "w", url: "ftp://hooks.example/abc-secret" }]),
      ),
    ).toBe("0.url: not an http(s) URL");
    expect(
      firstIssue(
        sinksSectionSchema.safeParse([{ kind: "webhook", name: "w", url: "https://x", secret: "abc" }]),
      ),
    ).toBe('0.secret: must start with "whsec_" followed by base64 key bytes');
  });

  it("reads an alertmanager sink, naming a label that Prometheus would refuse", () => {
    expect(
      sinksSectionSchema.parse([
        { kind: "alertmanager", name: "am", url: "http://alertmanager:9093", labels: { team: "risk" } },
      ]),
    ).toEqual([
      {
        kind: "alertmanager",
        name: "am",
        url: "http://alertmanager:9093",
        labels: { team: "risk" },
        timeoutSeconds: 10,
      },
    ]);
    expect(
      firstIssue(
        sinksSectionSchema.safeParse([
          { kind: "alertmanager", name: "am", url: "http://am:9093", labels: { "risk-team": "x" } },
        ]),
      ),
    ).toBe("0.labels.risk-team: not a Prometheus label name");
    expect(firstIssue(sinksSectionSchema.safeParse([{ kind: "pager", name: "p" }]))).toBe(
      "0.kind: kind must be one of slack, webhook, alertmanager, log",
    );
  });
});
