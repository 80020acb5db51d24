/**
 * `cascade-snapshot/2` validation: every rule of docs/cascade-model.md section 1 that joins
 * fields refuses its input with the path of the first bad field.
 */
import { describe, expect, it } from "vitest";
import { SnapshotError } from "../../../src/core/errors.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";

type Doc = Record<string, unknown>;

/** A small valid v2 document: WETH quoted in USDC (concentrated), wstETH in WETH, an Aave V4 spoke. */
function v2Doc(): Doc {
  return {
    schema: "cascade-snapshot/2",
    assets: [
      { id: "USDC", priceUsd: 1 },
      {
        id: "WETH",
        priceUsd: 3000,
        liquidity: {
          kind: "concentrated",
          quote: "USDC",
          feeBps: 5,
          ranges: [
            { lower: 2000, upper: 2800, liquidity: 900000 },
            { lower: 2800, upper: 3300, liquidity: 2500000 },
          ],
        },
      },
      {
        id: "wstETH",
        priceUsd: 3600,
        liquidity: { kind: "pool", quote: "WETH", reserveAsset: 20000, reserveQuote: 24000, feeBps: 1 },
      },
      { id: "LINK", priceUsd: 15, follows: { asset: "WETH", beta: 1.2 } },
    ],
    oracles: {
      wstETH: { kind: "rate", oracle: "WETH", scale: 1.2 },
      WETH: { kind: "market", asset: "WETH", deviation: 0.005, reportedUsd: 3010 },
      USDC: { kind: "fixed", priceUsd: 1 },
    },
    markets: [
      {
        id: "aave-v4:1:spoke",
        protocol: "aave-v4",
        targetHealthFactor: 1.05,
        healthFactorForMaxBonus: 0.85,
        liquidationBonusFactor: 0.8,
        reserves: {
          WETH: { collateralFactor: 0.83, maxLiquidationBonus: 0.05, liquidationFee: 0.1 },
          USDC: { collateralFactor: 0.78, maxLiquidationBonus: 0.04 },
        },
      },
      {
        id: "morpho-blue:1:m",
        protocol: "morpho-blue",
        collateral: "wstETH",
        loan: "WETH",
        lltv: 0.945,
        collateralOracle: "wstETH",
        loanOracle: "WETH",
      },
    ],
    positions: [
      {
        market: "aave-v4:1:spoke",
        account: "0xdef",
        collateral: { WETH: 4 },
        debt: { USDC: 9000 },
        dynamicConfig: { WETH: { collateralFactor: 0.8, maxLiquidationBonus: 0.06 } },
      },
    ],
  };
}

function errorOf(doc: Doc): string {
  try {
    parseSnapshot(doc);
  } catch (error) {
    if (error instanceof SnapshotError) return error.message;
    throw error;
  }
  throw new Error("expected a SnapshotError");
}

/** The document with `edit` applied to a deep copy. */
function edited(
  edit: (doc: Doc & { assets: Doc[]; markets: Doc[]; positions: Doc[]; oracles: Doc }) => void,
): Doc {
  const doc = structuredClone(v2Doc()) as Doc & {
    assets: Doc[];
    markets: Doc[];
    positions: Doc[];
    oracles: Doc;
  };
  edit(doc);
  return doc;
}

describe("parseSnapshot (cascade-snapshot/2)", () => {
  it("accepts the model's example shape and applies the v2 defaults", () => {
    const snapshot = parseSnapshot(v2Doc());
    expect(snapshot.schema).toBe("cascade-snapshot/2");
    const usdc = snapshot.assets.find((a) => a.id === "USDC")!;
    expect(usdc.liquidity).toEqual({ kind: "infinite" });
    const spoke = snapshot.markets.find((m) => m.protocol === "aave-v4")!;
    expect(spoke).toMatchObject({ dustUsd: 1000, liquidationGasUsd: 0 });
    expect(snapshot.oracles.WETH).toMatchObject({ kind: "market", scale: 1, deviation: 0.005 });
  });

  it.each<
    [string, (doc: Doc & { assets: Doc[]; markets: Doc[]; positions: Doc[]; oracles: Doc }) => void, string]
  >([
    [
      "a cycle through quote and follows",
      (d) => {
        d.assets[1] = { id: "WETH", priceUsd: 3000, liquidity: { kind: "infinite", quote: "LINK" } };
        d.assets[3] = { id: "LINK", priceUsd: 15, follows: { asset: "wstETH", beta: 1 } };
      },
      "assets[1].liquidity.quote: cycle WETH -> LINK -> wstETH -> WETH",
    ],
    [
      "follows on an asset not quoted in USD",
      (d) => {
        d.assets[2]!.follows = { asset: "LINK", beta: 1 };
      },
      'assets[2].follows: only an asset quoted in USD may follow another; "wstETH" trades against "WETH" and moves with it already',
    ],
    [
      "overlapping ranges",
      (d) => {
        const ranges = (d.assets[1]!.liquidity as { ranges: Doc[] }).ranges;
        ranges.push({ lower: 3200, upper: 3500, liquidity: 10 });
      },
      "assets[1].liquidity.ranges[2]: overlaps ranges[1] (ranges of one pool must be disjoint)",
    ],
    [
      "a range with lower >= upper",
      (d) => {
        (d.assets[1]!.liquidity as { ranges: Doc[] }).ranges[0] = { lower: 2800, upper: 2800, liquidity: 1 };
      },
      "assets[1].liquidity.ranges[0]: needs 0 <= lower < upper, got lower 2800, upper 2800",
    ],
    [
      "an oracle on an unknown asset",
      (d) => {
        d.oracles.WETH = { kind: "market", asset: "ETH" };
      },
      'oracles.WETH.asset: unknown asset "ETH"',
    ],
    [
      "a rate oracle on an unknown oracle",
      (d) => {
        d.oracles.wstETH = { kind: "rate", oracle: "stETH/ETH", scale: 1.2 };
      },
      'oracles.wstETH.oracle: unknown oracle "stETH/ETH" (neither an entry of oracles nor an asset id)',
    ],
    [
      "a cycle of rate oracles",
      (d) => {
        d.oracles.WETH = { kind: "rate", oracle: "wstETH" };
      },
      "oracles.wstETH.oracle: cycle wstETH -> WETH -> wstETH",
    ],
    [
      "an aave-v4 reserve that breaks the solvency constraint",
      (d) => {
        ((d.markets[0]!.reserves as Doc).WETH as Doc).collateralFactor = 0.96;
      },
      "markets[0].reserves.WETH: (1 + maxLiquidationBonus) × collateralFactor = 1.008 must be below 1 (Aave V4's solvency constraint)",
    ],
    [
      "a dynamicConfig entry that breaks the solvency constraint",
      (d) => {
        d.positions[0]!.dynamicConfig = { WETH: { collateralFactor: 0.95, maxLiquidationBonus: 0.06 } };
      },
      "positions[0].dynamicConfig.WETH: (1 + maxLiquidationBonus) × collateralFactor = 1.007 must be below 1 (Aave V4's solvency constraint)",
    ],
    [
      "a dynamicConfig on a position of another protocol",
      (d) => {
        d.positions.push({
          market: "morpho-blue:1:m",
          account: "0x1",
          collateral: { wstETH: 1 },
          debt: { WETH: 0.5 },
          dynamicConfig: { wstETH: {} },
        });
      },
      "positions[1].dynamicConfig: only aave-v4 positions have a dynamic configuration",
    ],
    [
      "a market reading an unknown oracle",
      (d) => {
        d.markets[1]!.loanOracle = "ETH/USD";
      },
      'markets[1].loanOracle: unknown oracle "ETH/USD" (neither an entry of oracles nor an asset id)',
    ],
    [
      "a pool whose reserves disagree with the prices in its quote",
      (d) => {
        (d.assets[2]!.liquidity as Doc).reserveQuote = 25000;
      },
      'assets[2].priceUsd: 3600 / 3000 (the price of "WETH") = 1.2 differs from the pool price reserveQuote / reserveAsset = 1.25 (tolerance 1e-9 relative)',
    ],
    [
      "reserveUsd on a pool that trades against another asset",
      (d) => {
        d.assets[2]!.liquidity = { kind: "pool", quote: "WETH", reserveAsset: 20000, reserveUsd: 24000 };
      },
      'assets[2].liquidity.reserveUsd: the pool trades against "WETH": give reserveQuote in its units',
    ],
    [
      '"USD" as an asset id',
      (d) => {
        d.assets.push({ id: "USD", priceUsd: 1 });
      },
      'assets[4].id: "USD" is the numeraire, not an asset id',
    ],
    [
      "a quote that is not listed",
      (d) => {
        (d.assets[2]!.liquidity as Doc).quote = "stETH";
      },
      'assets[2].liquidity.quote: unknown asset "stETH"',
    ],
    [
      "feeBps of 10000",
      (d) => {
        (d.assets[1]!.liquidity as Doc).feeBps = 10000;
      },
      "assets[1].liquidity.feeBps: must be in [0, 10000)",
    ],
  ])("refuses %s", (_name, edit, message) => {
    expect(errorOf(edited(edit))).toBe(message);
  });
});
