import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, parseConfig } from "../../../src/config/loadConfig.js";
import { UserInputError } from "../../../src/core/errors.js";

/** A `${NAME}` reference as a config file holds it. */
const envRef = (name: string): string => `$${"{"}${name}}`;
const addr = (n: number): string => `0x${n.toString(16).padStart(40, "0")}`;

/** The deployment file shape that `cascade-monitor devnet --out` writes. */
function devnetDeployment(): Record<string, unknown> {
  return {
    chains: [{ id: 31337, name: "devnet", rpc: ["http://127.0.0.1:8545"], confirmations: 0 }],
    assets: [
      {
        id: "WETH",
        symbol: "WETH",
        tokens: { "31337": addr(1) },
        liquidity: { kind: "uniswap-v2", chain: 31337, pair: addr(11), quote: "USDC" },
      },
      {
        id: "wstETH",
        symbol: "wstETH",
        tokens: { "31337": addr(2) },
        follows: { asset: "WETH", beta: 1 },
        liquidity: { kind: "uniswap-v2", chain: 31337, pair: addr(12), quote: "USDC" },
      },
      { id: "USDC", symbol: "USDC", tokens: { "31337": addr(3) }, liquidity: { kind: "infinite" } },
    ],
    markets: [
      {
        protocol: "aave-v3",
        chain: 31337,
        name: "aave-v3.6",
        pool: addr(21),
        addressesProvider: addr(22),
        uiPoolDataProvider: addr(23),
        poolDataProvider: addr(24),
        liquidationLogic: "v3.3",
        fromBlock: 0,
      },
      { protocol: "morpho-blue", chain: 31337, morpho: addr(31), fromBlock: 0 },
    ],
    devnet: {
      seed: 1,
      positions: 200,
      deployer: addr(99),
      contracts: { oracle: addr(98) },
      accounts: { liquidator: addr(97) },
    },
  };
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UserInputError);
    return (error as Error).message;
  }
  throw new Error("expected a UserInputError");
}

describe("parseConfig", () => {
  it("accepts the devnet deployment file as it is and applies defaults", () => {
    const config = parseConfig(devnetDeployment());
    expect(config.chains[0]?.rpc).toEqual(["http://127.0.0.1:8545"]);
    expect(config.chains[0]?.confirmations).toBe(0);
    expect(config.chains[0]?.maxBlockRange).toBe(10_000);
    expect(config.markets).toHaveLength(2);
    const aave = config.markets[0];
    expect(aave?.protocol === "aave-v3" && aave.liquidationLogic).toBe("v3.3");
    const weth = config.assets[0];
    expect(weth?.liquidity.kind === "uniswap-v2" && weth.liquidity.feeBps).toBe(30);
    expect(config.devnet?.seed).toBe(1);
  });

  it("takes the distributed keyframe interval as a whole number of cycles, 100 by default, naming the key", () => {
    const at = (keyframeEveryCycles: unknown) =>
      messageOf(() => parseConfig({ ...devnetDeployment(), scenarios: { keyframeEveryCycles } }));
    expect(parseConfig(devnetDeployment()).scenarios.keyframeEveryCycles).toBe(100);
    expect(
      parseConfig({ ...devnetDeployment(), scenarios: { keyframeEveryCycles: 1 } }).scenarios
        .keyframeEveryCycles,
    ).toBe(1);
    expect(at(2.5)).toBe("scenarios.keyframeEveryCycles: must be a whole number of cycles");
    expect(at(0)).toBe("scenarios.keyframeEveryCycles: must be at least 1 (1: the whole book every cycle)");
    expect(at(20_000)).toBe("scenarios.keyframeEveryCycles: must be at most 10000");
  });

  it("normalises addresses to their checksummed form", () => {
    const raw = devnetDeployment();
    (raw.markets as Array<Record<string, unknown>>)[1]!.morpho = "0xbbbbbbbbbb9cc5e90e3b3af64bdaf62c37eeffcb";
    const config = parseConfig(raw);
    const morpho = config.markets[1];
    expect(morpho?.protocol === "morpho-blue" && morpho.morpho).toBe(
      "0xBBBBBbbBBb9cC5e90e3b3Af64bdAF62C37EEFFCb",
    );
  });

  it("refuses references to assets and scenarios that are not configured, naming the key", () => {
    const raw = {
      ...devnetDeployment(),
      scenarios: {
        list: [{ name: "eth-20", shock: { WETH: -0.2, WETHH: -0.1 } }],
        curves: { assets: ["WBTC"] },
        criticalShockAssets: ["WETH"],
      },
      alerts: {
        rules: [
          { kind: "scenarioLiquidations", name: "A", scenario: "eth-2O", thresholdUsd: 1 },
          { kind: "criticalShock", name: "B", asset: "USDC", belowMagnitude: 0.1 },
          { kind: "scenarioBadDebt", name: "C", scenario: "*", thresholdUsd: 1 },
        ],
      },
    };
    expect(messageOf(() => parseConfig(raw))).toBe(
      [
        'scenarios.list[0].shock.WETHH: unknown asset "WETHH"; assets are: WETH, wstETH, USDC',
        'scenarios.curves.assets[0]: unknown asset "WBTC"; assets are: WETH, wstETH, USDC',
        'alerts.rules[0].scenario: unknown scenario "eth-2O"; scenarios are: eth-20 (or "*")',
        'alerts.rules[1].asset: "USDC" is not in scenarios.criticalShockAssets, so its critical shock is never searched',
      ].join("; "),
    );
  });

  it("bounds every duration, so a typo is refused rather than obeyed", () => {
    const at = (extra: Record<string, unknown>) =>
      messageOf(() => parseConfig({ ...devnetDeployment(), ...extra }));
    expect(at({ scenarios: { intervalSeconds: 1e10 } })).toBe(
      "scenarios.intervalSeconds: must be at most 86400 (one day)",
    );
    expect(at({ alerts: { repeatIntervalSeconds: 1e10 } })).toBe(
      "alerts.repeatIntervalSeconds: must be at most 30 days",
    );
    expect(at({ server: { staleAfterSeconds: 1e10 } })).toBe(
      "server.staleAfterSeconds: must be at most 30 days",
    );
    expect(at({ scenarios: { list: [{ name: "up", shock: { WETH: 1e308 } }] } })).toBe(
      "scenarios.list[0].shock.WETH: must be a fraction in (-1, 1], e.g. -0.2",
    );
  });

  it("names the key path of a bad address", () => {
    const raw = devnetDeployment();
    (raw.markets as Array<Record<string, unknown>>)[0]!.pool = "0x1234";
    expect(messageOf(() => parseConfig(raw))).toBe("markets[0].pool: not an address");
  });

  it("names a missing key and an unknown protocol", () => {
    const raw = devnetDeployment();
    delete (raw.markets as Array<Record<string, unknown>>)[1]!.morpho;
    expect(messageOf(() => parseConfig(raw))).toBe("markets[1].morpho: missing");
    (raw.markets as Array<Record<string, unknown>>)[1]!.protocol = "euler";
    expect(messageOf(() => parseConfig(raw))).toContain("markets[1].protocol: protocol must be one of");
  });

  it("refuses references to unknown chains and assets, duplicates and follow cycles", () => {
    const raw = devnetDeployment();
    (raw.markets as Array<Record<string, unknown>>)[1]!.chain = 1;
    expect(messageOf(() => parseConfig(raw))).toBe("markets[1].chain: chain 1 is not in chains");
    const raw2 = devnetDeployment();
    const assets = raw2.assets as Array<Record<string, unknown>>;
    assets[0]!.follows = { asset: "wstETH", beta: 1 };
    expect(messageOf(() => parseConfig(raw2))).toContain("follows forms a cycle");
    const raw3 = devnetDeployment();
    (raw3.assets as Array<Record<string, unknown>>)[2]!.id = "WETH";
    expect(messageOf(() => parseConfig(raw3))).toContain("assets[2].id: asset WETH is listed twice");
  });

  it("resolves $NAME references and names an unset variable without showing values", () => {
    const raw = devnetDeployment();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${NAME} reference
    (raw.chains as Array<Record<string, unknown>>)[0]!.rpc = ["https://eth.example/v2/${RPC_KEY}"];
    const config = parseConfig(raw, { RPC_KEY: "s3cr3t" });
    expect(config.chains[0]?.rpc[0]).toBe("https://eth.example/v2/s3cr3t");
    const message = messageOf(() => parseConfig(raw, {}));
    expect(message).toBe("chains[0].rpc[0]: environment variable RPC_KEY is not set");
  });

  it("never prints a secret that made a URL invalid", () => {
    const raw = devnetDeployment();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${NAME} reference
    (raw.chains as Array<Record<string, unknown>>)[0]!.rpc = "${RPC_URL}";
    const message = messageOf(() => parseConfig(raw, { RPC_URL: "not-a-url-s3cr3t" }));
    expect(message).toBe("chains[0].rpc: not an http(s) or ws(s) URL");
    expect(message).not.toContain("s3cr3t");
  });
});

describe("loadConfig", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "cascade-config-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads YAML and JSON alike", async () => {
    const yamlFile = join(dir, "config.yaml");
    await writeFile(
      yamlFile,
      [
        "chains:",
        "  - id: 1",
        "    name: ethereum",
        "    rpc: [https://rpc-a.example, https://rpc-b.example]",
        "assets:",
        "  - id: USDC",
        "    tokens: { '1': '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48' }",
        "markets:",
        "  - protocol: compound-v3",
        "    chain: 1",
        "    comet: '0xc3d688B66703497DAA19211EEdff47f25384cdc3'",
        "    fromBlock: 15331586",
      ].join("\n"),
    );
    const config = await loadConfig(yamlFile, {});
    expect(config.chains[0]?.rpc).toHaveLength(2);
    expect(config.markets[0]?.fromBlock).toBe(15331586);
    const jsonFile = join(dir, "deployment.json");
    await writeFile(jsonFile, JSON.stringify(devnetDeployment()));
    expect((await loadConfig(jsonFile, {})).markets).toHaveLength(2);
  });

  it("warns about secrets written in plain text, naming the key and never the value", async () => {
    const file = join(dir, "plain-secrets.json");
    await writeFile(
      file,
      JSON.stringify({
        ...devnetDeployment(),
        sinks: [
          { kind: "webhook", name: "a", url: "https://hooks.example/T0KEN", secret: envRef("HOOK_SECRET") },
          { kind: "slack", name: "b", webhookUrl: envRef("SLACK_URL") },
        ],
        server: { bearerToken: "plain-bearer-token-123" },
      }),
    );
    const warnings: string[] = [];
    const env = {
      HOOK_SECRET: `whsec_${Buffer.alloc(24, 7).toString("base64")}`,
      SLACK_URL: "https://hooks.slack/x",
    };
    await loadConfig(file, env, (w) => warnings.push(w));
    expect(warnings).toEqual([
      `sinks[0].url: a secret written in the config file; give it as ${envRef("ENV_VAR")} instead`,
      `server.bearerToken: a secret written in the config file; give it as ${envRef("ENV_VAR")} instead`,
    ]);
    expect(warnings.join("")).not.toMatch(/T0KEN|plain-bearer/);
  });

  it("reports a syntax error with its line and a missing file by its flag", async () => {
    const bad = join(dir, "bad.yaml");
    await writeFile(bad, "chains:\n  - id: 1\n   name: [oops\n");
    await expect(loadConfig(bad, {})).rejects.toThrow(/not valid YAML or JSON \(line \d+/);
    await expect(loadConfig(join(dir, "missing.yaml"), {})).rejects.toThrow(/cannot read the file/);
  });
});
