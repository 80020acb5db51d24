/**
 * The realized side of a mainnet-profile validation reports every oracle the snapshot's markets
 * name, each round, read from chain through the indexers' readers: the deviation feeds, the wstETH
 * exchange-rate adapter, USDC's fixed price and feed, the composed Morpho oracles and an asset's
 * own market price where a Morpho loan has no quote feed. Each is compared with the prediction.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runValidation, type ValidationResult } from "../../../src/app/validate/runValidation.js";
import type { Snapshot } from "../../../src/core/snapshot/snapshot.js";
import { type Devnet, startDevnet } from "../../../src/devnet/startDevnet.js";

let devnet: Devnet;
let result: ValidationResult;

beforeAll(async () => {
  devnet = await startDevnet({ profile: "mainnet", seed: 2, positions: 120 });
  result = await runValidation({ devnet, shock: { WETH: -0.2 } });
}, 300_000);

afterAll(async () => {
  await devnet?.stop();
});

/** The oracle id each market of the snapshot judges each of its assets by (an asset's own id when it names none). */
function namedOracles(snapshot: Snapshot): Set<string> {
  const named = new Set<string>();
  for (const market of snapshot.markets) {
    if (market.protocol === "aave-v3")
      for (const [asset, reserve] of Object.entries(market.reserves)) named.add(reserve.oracle ?? asset);
    else if (market.protocol === "morpho-blue") {
      named.add(market.collateralOracle ?? market.collateral);
      named.add(market.loanOracle ?? market.loan);
    }
  }
  return named;
}

describe("realized oracle prices on the mainnet profile", () => {
  it("every round reports every oracle the snapshot's markets name, as the prediction does, within 1e-6", () => {
    const named = [...namedOracles(result.snapshot)].sort();
    const kinds = new Set(named.map((id) => result.snapshot.oracles[id]?.kind ?? "asset"));
    // Feeds, the rate adapter and the composed Morpho oracles (rates), a fixed price, an asset's own.
    expect([...kinds].sort()).toEqual(["asset", "fixed", "market", "rate"]);
    expect(named.some((id) => id.endsWith("/collateral"))).toBe(true);
    expect(result.realized.rounds.length).toBeGreaterThanOrEqual(2);
    result.realized.rounds.forEach((round, k) => {
      expect(Object.keys(round.oraclePrices).sort(), `round ${round.round}`).toEqual(named);
      expect(Object.keys(result.predicted.rounds[k]!.oraclePrices).sort()).toEqual(named);
    });
    expect(result.comparison.diffs.filter((d) => d.field.startsWith("oracle."))).toEqual([]);
    expect(result.comparison.agree).toBe(true);
    // The ETH/USD feed was pushed between rounds: the reports move, on both sides alike.
    const feed = named.find((id) => {
      const spec = result.snapshot.oracles[id];
      return spec?.kind === "market" && spec.asset === "WETH";
    })!;
    const reports = result.realized.rounds.map((r) => r.oraclePrices[feed]!);
    expect(new Set(reports).size).toBeGreaterThan(1);
  });
});
