import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DEVNET_DAEMON_SECTIONS } from "../../../src/app/daemon/devnetDaemonSections.js";
import { parseConfig } from "../../../src/config/loadConfig.js";

const read = (name: string): Record<string, unknown> =>
  parse(readFileSync(new URL(`../../../config/${name}`, import.meta.url), "utf8")) as Record<string, unknown>;

const ENV = {
  ETH_RPC_URL: "https://eth.example",
  SLACK_WEBHOOK_URL: "https://hooks.slack.example/services/T/B/x",
  RISK_WEBHOOK_URL: "https://risk.example/hooks/cascade",
  ALERTMANAGER_URL: "http://alertmanager:9093",
  RISK_WEBHOOK_SECRET: `whsec_${Buffer.from("0123456789abcdef0123").toString("base64")}`,
  CASCADE_API_TOKEN: "a-long-enough-api-token",
};

describe("the example monitor configs", () => {
  it("config/ethereum.example.yaml is a whole monitor config once its environment references are set", () => {
    const config = parseConfig(read("ethereum.example.yaml"), ENV);
    expect(config.chains.map((c) => c.id)).toEqual([1]);
    expect(config.scenarios.list.map((s) => s.name)).toEqual([
      "eth-10",
      "eth-20",
      "eth-30",
      "btc-15",
      "lst-depeg-5",
    ]);
    expect(config.alerts.rules.map((r) => r.kind)).toEqual([
      "scenarioLiquidations",
      "scenarioBadDebt",
      "amplification",
      "crossProtocolCascade",
      "criticalShock",
      "positionAtRisk",
      "dataStale",
    ]);
    expect(config.sinks.map((s) => s.kind)).toEqual(["slack", "webhook", "alertmanager", "log"]);
    expect(config.server.bearerToken).toBe("a-long-enough-api-token");
  });

  it("config/ethereum.example.yaml names the variable that is missing", () => {
    const { SLACK_WEBHOOK_URL: _unset, ...rest } = ENV;
    expect(() => parseConfig(read("ethereum.example.yaml"), rest)).toThrow(/SLACK_WEBHOOK_URL is not set/);
  });

  it("config/devnet.example.yaml monitors what `start` monitors on its own devnet", () => {
    const example = parseConfig(read("devnet.example.yaml"), {});
    const builtIn = parseConfig({ ...read("devnet.example.yaml"), ...DEVNET_DAEMON_SECTIONS }, {});
    expect(example.scenarios).toEqual(builtIn.scenarios);
    expect(example.alerts).toEqual(builtIn.alerts);
    expect(example.sinks).toEqual(builtIn.sinks);
  });
});
