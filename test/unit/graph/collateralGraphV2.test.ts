/** The collateral graph on model v2: quote forest, oracles per market, clustering at oracle reports. */
import { describe, expect, it } from "vitest";
import { buildCollateralGraph } from "../../../src/core/graph/buildCollateralGraph.js";
import { liquidationPrice } from "../../../src/core/graph/liquidationPrice.js";
import {
  oracleReports,
  oracleSensitivity,
  priceForestOf,
} from "../../../src/core/graph/oracleSensitivity.js";
import { positionTerms } from "../../../src/core/graph/positionTerms.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";

const MORPHO = "morpho-blue:1:wstETH-WETH";
const AAVE = "aave-v3:1:pool";

const snapshot = parseSnapshot({
  schema: "cascade-snapshot/2",
  assets: [
    { id: "USDC", priceUsd: 1 },
    { id: "WETH", priceUsd: 3000, liquidity: { kind: "infinite", quote: "USDC" } },
    { id: "wstETH", priceUsd: 3600, liquidity: { kind: "infinite", quote: "WETH" } },
  ],
  oracles: {
    wstETH: { kind: "rate", oracle: "WETH", scale: 1.2 },
    "USDC/USD": { kind: "fixed", priceUsd: 1 },
  },
  markets: [
    { id: MORPHO, protocol: "morpho-blue", collateral: "wstETH", loan: "WETH", lltv: 0.945 },
    {
      id: AAVE,
      protocol: "aave-v3",
      reserves: {
        wstETH: { liquidationThreshold: 0.8, liquidationBonus: 0.05 },
        USDC: { liquidationThreshold: 0.78, liquidationBonus: 0.045, oracle: "USDC/USD" },
      },
    },
  ],
  positions: [
    // A loop: wstETH (rate × the WETH feed) against WETH. No fall of WETH liquidates it.
    { market: MORPHO, account: "0x1", collateral: { wstETH: 10 }, debt: { WETH: 11 } },
    // 10 wstETH against 21,600 USDC: liquidatable when 10 × 1.2 p × 0.8 < 21,600, p < 2,250.
    { market: AAVE, account: "0x2", collateral: { wstETH: 10 }, debt: { USDC: 21600 } },
  ],
});
const graph = buildCollateralGraph(snapshot);
const node = (id: string) => graph.assets.find((n) => n.asset === id)!;

describe("collateral graph on model v2", () => {
  it("shows the quote forest: each asset under what it trades against", () => {
    expect(node("USDC")).toMatchObject({ quote: "USD", depth: 1, quotedBy: ["WETH"] });
    expect(node("WETH")).toMatchObject({ quote: "USDC", depth: 2, quotedBy: ["wstETH"] });
    expect(node("wstETH")).toMatchObject({ quote: "WETH", depth: 3, quotedBy: [], liquidity: "infinite" });
  });

  it("lists which markets read which oracle, and how each report moves with the asset", () => {
    expect(node("USDC").oracles).toEqual([
      { oracle: "USDC/USD", kind: "fixed", reportUsd: 1, sensitivity: 0, markets: [AAVE] },
    ]);
    // wstETH's report is the WETH feed times a rate: it does not move with wstETH's own pool.
    expect(node("wstETH").oracles).toEqual([
      { oracle: "wstETH", kind: "rate", reportUsd: 3600, sensitivity: 0, markets: [AAVE, MORPHO] },
    ]);
    expect(node("WETH").oracles).toEqual([
      { oracle: "WETH", kind: "market", reportUsd: 3000, sensitivity: 1, markets: [MORPHO] },
    ]);
  });

  it("clusters liquidation prices at oracle reports: a WETH fall moves wstETH's rate oracle, not the loop", () => {
    const forest = priceForestOf(snapshot);
    const betas = oracleSensitivity(forest, forest.assets.indexOf.get("WETH")!);
    const reports = oracleReports(forest);
    const markets = new Map(snapshot.markets.map((m) => [m.id, m]));
    const at = (i: number) =>
      liquidationPrice(
        positionTerms(snapshot.positions[i]!, markets.get(snapshot.positions[i]!.market)!),
        "WETH",
        reports,
        betas,
        3000,
      );
    expect(at(0)).toEqual({ kind: "notOnFall" });
    const aave = at(1);
    expect(aave.kind).toBe("below");
    expect(aave.kind === "below" ? aave.priceUsd : 0).toBeCloseTo(2250, 9);
    const wsteth = node("wstETH").liquidationPrices;
    // Held as collateral by both; a fall of wstETH's market price moves neither oracle report.
    expect(wsteth.notOnFall.positions).toBe(2);
  });
});
