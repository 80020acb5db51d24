import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config/loadConfig.js";

const env = {
  ETH_RPC_URL: "https://eth.example",
  SLACK_WEBHOOK_URL: "https://hooks.slack.example/services/T/B/x",
  RISK_WEBHOOK_URL: "https://risk.example/hooks/cascade",
  ALERTMANAGER_URL: "http://alertmanager:9093",
  RISK_WEBHOOK_SECRET: `whsec_${Buffer.from("0123456789abcdef0123").toString("base64")}`,
  CASCADE_API_TOKEN: "a-long-enough-api-token",
  ARBITRUM_RPC_URL: "https://arb.example",
  BASE_RPC_URL: "https://base.example",
  OPTIMISM_RPC_URL: "https://op.example",
};

describe("example configs", () => {
  it("the Ethereum example validates: Aave V3, Spark, Morpho Blue and two Comets", async () => {
    const config = await loadConfig("config/ethereum.example.yaml", env);
    expect(config.markets.map((m) => `${m.protocol}:${m.name}`)).toEqual([
      "aave-v3:aave-v3-ethereum",
      "aave-v3:spark",
      "morpho-blue:morpho-blue-ethereum",
      "compound-v3:compound-v3-cusdcv3",
      "compound-v3:compound-v3-cwethv3",
    ]);
  });

  it("the L2 example validates and names every chain's RPC variable", async () => {
    const config = await loadConfig("config/indexer.l2.example.yaml", env);
    expect(config.chains.map((c) => c.id)).toEqual([42161, 8453, 10]);
    await expect(
      loadConfig("config/indexer.l2.example.yaml", { ...env, BASE_RPC_URL: undefined }),
    ).rejects.toThrow("chains[1].rpc[0]: environment variable BASE_RPC_URL is not set");
  });
});
