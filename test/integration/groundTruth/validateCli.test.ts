/** `cascade-monitor validate`: the per-round table and verdict, `--json`, and bad input. */
import { describe, expect, it } from "vitest";
import { cli } from "../../helpers/cliHarness.js";

describe("cascade-monitor validate", () => {
  it("prints a per-round table and an agreeing verdict, or one JSON document", async () => {
    const text = await cli(
      "validate",
      "--profile",
      "spot",
      "--seed",
      "1",
      "--positions",
      "200",
      "--shock",
      "WETH=-0.3",
      "--gas-usd",
      "40",
    );
    // Progress is for terminals: on a pipe stderr stays empty when all goes well.
    expect(text.stderr).toBe("");
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Round\s+Side\s+Liquidations\s+Repaid\s+Sold\s+Bad debt\s+Unprofitable/m);
    expect(text.stdout).toMatch(/^1\s+predicted\s+\d+/m);
    expect(text.stdout).toMatch(/^\s+realized\s+\d+/m);
    expect(text.stdout).toMatch(/^Verdict: AGREE\./m);

    const json = await cli(
      "validate",
      "--profile",
      "spot",
      "--positions",
      "200",
      "--shock",
      "WETH=-30%",
      "--json",
    );
    expect(json.code).toBe(0);
    const document = JSON.parse(json.stdout) as {
      schema: string;
      agree: boolean;
      shock: Record<string, number>;
      comparison: { rounds: unknown[]; diffs: unknown[] };
      predicted: { schema: string; totals: { liquidations: number } };
      realized: { totals: { liquidations: number } };
    };
    expect(document.schema).toBe("cascade-validation/1");
    expect(document.shock).toEqual({ WETH: -0.3 });
    expect(document.agree).toBe(true);
    expect(document.comparison.diffs).toEqual([]);
    expect(document.predicted.schema).toBe("cascade-report/2");
    expect(document.realized.totals.liquidations).toBe(document.predicted.totals.liquidations);
    expect(document.comparison.rounds.length).toBeGreaterThan(1);
  });

  it("the default profile, mainnet: the crash in the WETH V3 pool, predicted and realized, agrees in one JSON document", async () => {
    const result = await cli(
      "validate",
      "--positions",
      "150",
      "--shock",
      "WETH=-0.2",
      "--gas-usd",
      "50",
      "--json",
    );
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as {
      profile: string;
      agree: boolean;
      realized: { rounds: unknown[]; totals: { liquidations: number } };
    };
    expect(document.profile).toBe("mainnet");
    expect(document.agree).toBe(true);
    expect(document.realized.rounds.length).toBeGreaterThan(1);
    expect(document.realized.totals.liquidations).toBeGreaterThan(0);
  });

  it("--shock WBTC=-0.1 on the mainnet profile: the crash in WBTC's V2 pair, predicted and realized, agrees", async () => {
    const result = await cli(
      "validate",
      "--profile",
      "mainnet",
      "--positions",
      "150",
      "--shock",
      "WBTC=-0.1",
      "--gas-usd",
      "50",
      "--json",
    );
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as {
      agree: boolean;
      comparison: { diffs: unknown[] };
      realized: {
        rounds: Array<{ prices: Record<string, number> }>;
        liquidations: Array<{ seized: Record<string, number> }>;
      };
    };
    expect(document.agree).toBe(true);
    expect(document.comparison.diffs).toEqual([]);
    // Liquidated WBTC collateral was sold into the pair below the shocked $54,000; WETH's pool untouched.
    expect(document.realized.liquidations.some((l) => (l.seized.WBTC ?? 0) > 0)).toBe(true);
    expect(document.realized.rounds[0]!.prices.WBTC).toBeLessThan(60_000 * 0.9);
    expect(document.realized.rounds[0]!.prices.WETH).toBeCloseTo(3000, 6);
  });

  it("refuses a bad shock or option with exit code 2 and one line", async () => {
    for (const argv of [
      ["validate", "--positions", "50", "--shock", "USDC=-0.1"],
      ["validate", "--positions", "50", "--shock", "DOGE=-0.1"],
      ["validate", "--positions", "0"],
      ["validate", "--edge-cases", "2"],
      ["validate", "--gas-usd", "-5"],
      ["validate", "--gas-usd", "lots"],
      ["validate", "--profile", "mainet"],
    ]) {
      const result = await cli(...argv);
      expect(result.code, argv.join(" ")).toBe(2);
      expect(result.stderr.trim().split("\n").at(-1)).toMatch(/^error: /);
    }
  });
});
