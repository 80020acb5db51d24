import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseConfig } from "../../../src/config/loadConfig.js";
import { resolveEnv } from "../../../src/config/resolveEnv.js";
import { alertsSectionSchema } from "../../../src/config/schema/alerts.js";
import { scenariosSectionSchema } from "../../../src/config/schema/scenarios.js";
import { serverSectionSchema } from "../../../src/config/schema/server.js";
import { sinksSectionSchema } from "../../../src/config/schema/sinks.js";

describe("config/daemon-sections.example.yaml", () => {
  it("is valid once its environment references are set", () => {
    const raw = parse(
      readFileSync(new URL("../../../config/daemon-sections.example.yaml", import.meta.url), "utf8"),
    );
    const env = {
      SLACK_WEBHOOK_URL: "https://hooks.slack.example/services/T/B/x",
      RISK_WEBHOOK_URL: "https://risk.example/hooks/cascade",
      RISK_WEBHOOK_SECRET: `whsec_${Buffer.from("0123456789abcdef0123").toString("base64")}`,
      CASCADE_API_TOKEN: "a-long-enough-api-token",
    };
    const resolved = resolveEnv(raw, env) as Record<string, unknown>;
    expect(scenariosSectionSchema.parse(resolved.scenarios).list).toHaveLength(5);
    expect(alertsSectionSchema.parse(resolved.alerts).rules.map((r) => r.kind)).toEqual([
      "scenarioLiquidations",
      "scenarioBadDebt",
      "amplification",
      "crossProtocolCascade",
      "criticalShock",
      "positionAtRisk",
      "dataStale",
    ]);
    expect(sinksSectionSchema.parse(resolved.sinks).map((s) => s.kind)).toEqual(["slack", "webhook", "log"]);
    expect(serverSectionSchema.parse(resolved.server).bearerToken).toBe("a-long-enough-api-token");
  });

  it("completes the Ethereum indexer example into a monitor config", () => {
    const read = (name: string) =>
      parse(readFileSync(new URL(`../../../config/${name}`, import.meta.url), "utf8")) as Record<
        string,
        unknown
      >;
    const env = {
      ETH_RPC_URL: "https://eth.example",
      SLACK_WEBHOOK_URL: "https://hooks.slack.example/services/T/B/x",
      RISK_WEBHOOK_URL: "https://risk.example/hooks/cascade",
      RISK_WEBHOOK_SECRET: `whsec_${Buffer.from("0123456789abcdef0123").toString("base64")}`,
      CASCADE_API_TOKEN: "a-long-enough-api-token",
    };
    const config = parseConfig(
      { ...read("indexer.ethereum.example.yaml"), ...read("daemon-sections.example.yaml") },
      env,
    );
    expect(config.chains.map((c) => c.id)).toEqual([1]);
    expect(config.scenarios.list.map((s) => s.name)).toEqual([
      "eth-10",
      "eth-20",
      "eth-30",
      "btc-15",
      "lst-depeg-5",
    ]);
    expect(config.alerts.rules).toHaveLength(7);
  });
});
