import { describe, expect, it } from "vitest";
import { compileBook } from "../../../src/core/book/compileBook.js";
import { emptyConcentratedSwap, sellConcentrated } from "../../../src/core/liquidity/concentrated.js";
import { simulate } from "../../../src/core/propagator/simulate.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import { type LiquidityData, quoteOf, type SnapshotInput } from "../../../src/core/snapshot/schema.js";
import type { Snapshot } from "../../../src/core/snapshot/snapshot.js";
import { restateAsModelV1 } from "../../../src/core/validation/restateAsModelV1.js";

const AAVE = "aave-v3:1:0xaave";
const MORPHO = "morpho-blue:1:0xmorpho";
const FEED = "oracle:1:0xfeed";
const ADAPTER = "oracle:1:0xadapter";

/** A mainnet-shaped book: ETH/USD feed, wstETH by an exchange-rate adapter, wstETH and rETH quoted in WETH, gas. */
function mainnetShaped(overrides: Partial<SnapshotInput> = {}): Snapshot {
  const input: SnapshotInput = {
    schema: "cascade-snapshot/2",
    assets: [
      { id: "USDC", priceUsd: 1, decimals: 6, liquidity: { kind: "infinite" } },
      {
        id: "WETH",
        priceUsd: 2500,
        decimals: 18,
        liquidity: {
          kind: "concentrated",
          quote: "USDC",
          feeBps: 5,
          ranges: [
            { lower: 1500, upper: 2000, liquidity: 20_000 },
            { lower: 2000, upper: 3000, liquidity: 100_000 },
          ],
        },
      },
      {
        id: "wstETH",
        priceUsd: 3000,
        decimals: 18,
        liquidity: {
          kind: "concentrated",
          quote: "WETH",
          feeBps: 1,
          ranges: [
            { lower: 1.05, upper: 1.15, liquidity: 900 },
            { lower: 1.15, upper: 1.25, liquidity: 4000 },
          ],
        },
      },
      {
        id: "rETH",
        priceUsd: 2750,
        liquidity: { kind: "pool", quote: "WETH", reserveAsset: 100, reserveQuote: 110, feeBps: 5 },
      },
    ],
    oracles: {
      [FEED]: { kind: "market", asset: "WETH", deviation: 0.005, reportedUsd: 2500 },
      [ADAPTER]: { kind: "rate", oracle: FEED, scale: 1.2 },
      "oracle:1:0xusdc": { kind: "fixed", priceUsd: 1 },
    },
    markets: [
      {
        id: AAVE,
        protocol: "aave-v3",
        liquidationLogic: "v3.3",
        liquidationGasUsd: 20,
        reserves: {
          WETH: { liquidationThreshold: 0.83, liquidationBonus: 0.05, oracle: FEED },
          wstETH: { liquidationThreshold: 0.81, liquidationBonus: 0.06, oracle: ADAPTER },
          USDC: { liquidationThreshold: 0, liquidationBonus: 0, oracle: "oracle:1:0xusdc" },
        },
        emodes: { "1": { liquidationThreshold: 0.95, liquidationBonus: 0.01, assets: ["WETH", "wstETH"] } },
      },
      {
        id: MORPHO,
        protocol: "morpho-blue",
        collateral: "wstETH",
        loan: "WETH",
        lltv: 0.945,
        collateralOracle: ADAPTER,
        loanOracle: FEED,
        liquidationGasUsd: 20,
      },
      {
        id: "aave-v4:1:0xspoke",
        protocol: "aave-v4",
        targetHealthFactor: 1.05,
        healthFactorForMaxBonus: 0.85,
        liquidationBonusFactor: 0.8,
        liquidationGasUsd: 15,
        reserves: {
          WETH: { collateralFactor: 0.8, maxLiquidationBonus: 0.05, oracle: FEED },
          USDC: { collateralFactor: 0.75, maxLiquidationBonus: 0.04, oracle: "oracle:1:0xusdc" },
        },
      },
      {
        id: "compound-v3:1:0xcomet",
        protocol: "compound-v3",
        base: "USDC",
        baseOracle: "oracle:1:0xusdc",
        liquidationGasUsd: 25,
        collaterals: {
          wstETH: { liquidateCollateralFactor: 0.85, liquidationFactor: 0.95, oracle: ADAPTER },
        },
      },
    ],
    positions: [
      // A loop at health 1.03: 100 wstETH × $3,000 × 0.95 against WETH.
      {
        market: AAVE,
        account: "0xloop",
        collateral: { wstETH: 100 },
        debt: { WETH: 285_000 / 1.03 / 2500 },
        emode: 1,
      },
      {
        market: MORPHO,
        account: "0xmorpho",
        collateral: { wstETH: 50 },
        debt: { WETH: 141_750 / 1.02 / 2500 },
      },
      { market: AAVE, account: "0xeth", collateral: { WETH: 10 }, debt: { USDC: 20_000 } },
    ],
    ...overrides,
  };
  return parseSnapshot(input);
}

const assetOf = (snapshot: Snapshot, id: string) => snapshot.assets.find((a) => a.id === id)!;

/** A sale of `amount` into a concentrated pool, by the model's own walk: quote units out and the price after. */
function sell(liquidity: LiquidityData, price: number, amount: number): { out: number; price: number } {
  if (liquidity.kind !== "concentrated") throw new Error("not concentrated");
  const swap = emptyConcentratedSwap();
  const ranges = {
    sqrtLower: Float64Array.from(liquidity.ranges.map((r) => Math.sqrt(r.lower))),
    sqrtUpper: Float64Array.from(liquidity.ranges.map((r) => Math.sqrt(r.upper))),
    liquidity: Float64Array.from(liquidity.ranges.map((r) => r.liquidity)),
  };
  sellConcentrated(
    swap,
    ranges,
    0,
    liquidity.ranges.length,
    Math.sqrt(price),
    amount,
    liquidity.feeBps / 1e4,
  );
  return { out: swap.quoteAmount, price: swap.sqrtPrice ** 2 };
}

describe("restateAsModelV1", () => {
  it("is a valid snapshot with no oracle, no market naming one, no gas, and the same book and prices", () => {
    const original = mainnetShaped();
    const v1 = parseSnapshot(restateAsModelV1(original));
    expect(v1.oracles).toEqual({});
    for (const market of v1.markets) {
      expect(market.liquidationGasUsd).toBe(0);
      expect(JSON.stringify(market)).not.toContain("racle");
    }
    expect(v1.positions).toEqual(original.positions);
    expect(v1.assets.map((a) => [a.id, a.priceUsd, a.decimals])).toEqual(
      original.assets.map((a) => [a.id, a.priceUsd, a.decimals]),
    );
    for (const asset of v1.assets) expect(quoteOf(asset)).toBe("USD");
    // The original is not touched.
    expect(Object.keys(original.oracles)).toHaveLength(3);
    expect(quoteOf(assetOf(original, "wstETH"))).toBe("WETH");
  });

  it("turns a pool against WETH into the same pool against USD that follows WETH", () => {
    const original = mainnetShaped();
    const v1 = restateAsModelV1(original);
    const weth = 2500;
    for (const id of ["wstETH", "rETH"]) expect(assetOf(v1, id).follows).toEqual({ asset: "WETH", beta: 1 });
    // WETH against USDC (an infinite pool at $1): the same ranges against USD, nothing to follow.
    const { quote: _usdc, ...wethPool } = assetOf(original, "WETH").liquidity as { quote?: string };
    expect(assetOf(v1, "WETH")).toEqual({ ...assetOf(original, "WETH"), liquidity: wethPool });
    const rEth = assetOf(v1, "rETH").liquidity;
    expect(rEth).toEqual({ kind: "pool", reserveAsset: 100, reserveQuote: 110 * weth, feeBps: 5 });
    // The same sale of 300 wstETH (through two ranges) yields the same WETH, valued in USD, and the same price.
    const before = sell(assetOf(original, "wstETH").liquidity, 1.2, 300);
    const after = sell(assetOf(v1, "wstETH").liquidity, 1.2 * weth, 300);
    expect(before.price).toBeLessThan(1.15);
    expect(after.out / (before.out * weth) - 1).toBeCloseTo(0, 12);
    expect(after.price / (before.price * weth) - 1).toBeCloseTo(0, 12);
  });

  it("judges a wstETH loop at the pool's price: a depeg liquidates it under v1, not under v2's exchange rate", () => {
    const original = mainnetShaped();
    const depeg = { wstETH: -0.05 };
    const v2 = simulate(compileBook(original), depeg);
    const v1 = simulate(compileBook(parseSnapshot(restateAsModelV1(original))), depeg);
    const accounts = (report: typeof v1) => [...new Set(report.liquidations.map((l) => l.account))].sort();
    expect(accounts(v2)).toEqual([]);
    expect(accounts(v1)).toEqual(["0xloop", "0xmorpho"]);
  });
});
