/** `cascade-monitor validate --assume v1`: model v1's assumptions on the same snapshot, beside the chain. */
import { describe, expect, it } from "vitest";
import { cli } from "../../helpers/cliHarness.js";

interface Figures {
  liquidations: number;
  repaidUsd: number;
  badDebtUsd: number;
}

describe("cascade-monitor validate --assume v1", () => {
  it("a wstETH depeg on the mainnet profile: model v1 liquidates loops the chain keeps", async () => {
    const args = ["validate", "--profile", "mainnet", "--seed", "2", "--positions", "200"];
    const json = await cli(...args, "--shock", "wstETH=-0.05", "--assume", "v1", "--json");
    expect(json.code).toBe(0);
    const document = JSON.parse(json.stdout) as {
      agree: boolean;
      realized: { totals: Figures };
      modelV1: {
        predicted: { schema: string; totals: Figures };
        difference: {
          rounds: Array<{ round: number; predicted: Figures; realized: Figures }>;
          totals: { predicted: Figures; realized: Figures };
          onlyPredicted: number;
          onlyRealized: number;
        };
      };
    };
    // Model v2 agrees with the chain; v1's spot oracles see the depeg the exchange-rate oracles ignore.
    expect(document.agree).toBe(true);
    const { difference, predicted } = document.modelV1;
    expect(predicted.schema).toBe("cascade-report/2");
    const figures = ({ liquidations, repaidUsd, badDebtUsd }: Figures): Figures => ({
      liquidations,
      repaidUsd,
      badDebtUsd,
    });
    expect(difference.totals.realized).toMatchObject(figures(document.realized.totals));
    expect(difference.totals.predicted).toMatchObject(figures(predicted.totals));
    expect(difference.onlyPredicted).toBeGreaterThan(0);
    expect(difference.totals.predicted.liquidations).toBeGreaterThan(difference.totals.realized.liquidations);

    const text = await cli(...args, "--shock", "wstETH=-0.05", "--assume", "v1");
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Verdict: AGREE\./m);
    expect(text.stdout).toMatch(/^Model v1's assumptions/m);
    expect(text.stdout).toMatch(/^total\s+model v1\s+\d+/m);
    expect(text.stdout).toMatch(/^Model v1 vs the chain: /m);
  }, 180_000);

  it("refuses an unknown model (exit 2)", async () => {
    const result = await cli("validate", "--assume", "v3");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--assume v3: expected v1 or v2");
  });
});
