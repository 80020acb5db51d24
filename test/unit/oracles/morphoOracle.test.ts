/**
 * Morpho oracles at the ABI level. A MorphoChainlinkOracleV2 for wstETH/USDC as mainnet builds it
 * (base feeds wstETH-stETH exchange rate x ETH/USD, quote feed USDC/USD) is decomposed so that the
 * market's price follows ETH/USD, the feed the WETH reserve is judged by, over USDC's feed; an
 * oracle of another shape keeps its price as a ratio and says so.
 */
import type { Address } from "viem";
import { describe, expect, it } from "vitest";
import { chainlinkAggregatorAbi } from "../../../abis/chainlinkAggregator.js";
import { morphoChainlinkOracleV2Abi } from "../../../abis/morphoChainlinkOracleV2.js";
import { MULTICALL3_ADDRESS } from "../../../src/adapters/chain/detectMulticall3.js";
import { morphoOracleReadings } from "../../../src/adapters/oracles/morphoOracleReadings.js";
import { oracleIdOf } from "../../../src/adapters/oracles/OracleReading.js";
import { readMorphoOracles } from "../../../src/adapters/oracles/readMorphoOracle.js";
import { toOracleSpecs } from "../../../src/adapters/oracles/toOracleSpecs.js";
import { REVERT, scriptedClient, scriptedRpc } from "../../helpers/scriptedRpc.js";

const a = (n: number): Address => `0x${n.toString(16).padStart(40, "0")}`;
const V2 = a(0x0a);
const OPAQUE = a(0x0b);
const RATE_FEED = a(0xf1);
const ETH_USD = a(0xf2);
const USDC_USD = a(0xf3);
const ZERO = a(0);

// USDC per wstETH = 1.2 stETH/wstETH x 3010 USD/ETH / 0.9998 USD/USDC; price() = ratio x 1e36 x 10^(6 - 18).
const RATIO = (1.2 * 3010) / 0.9998;
const V2_PRICE = BigInt(Math.round(RATIO * 1e12)) * 10n ** 12n;
const OPAQUE_PRICE = 3000n * 10n ** 24n;

const feed = (answer: bigint, decimals: number, description: string) => ({
  abi: chainlinkAggregatorAbi,
  answer: (name: string) =>
    name === "latestRoundData"
      ? [1n, answer, 0n, 1n, 1n]
      : name === "decimals"
        ? decimals
        : name === "description"
          ? description
          : REVERT,
});
const V2_GETTERS: Record<string, unknown> = {
  BASE_VAULT: ZERO,
  QUOTE_VAULT: ZERO,
  BASE_FEED_1: RATE_FEED,
  BASE_FEED_2: ETH_USD,
  QUOTE_FEED_1: USDC_USD,
  QUOTE_FEED_2: ZERO,
  price: V2_PRICE,
};
const rpc = scriptedRpc({
  [V2]: { abi: morphoChainlinkOracleV2Abi, answer: (name: string) => V2_GETTERS[name] ?? REVERT },
  [OPAQUE]: {
    abi: morphoChainlinkOracleV2Abi,
    answer: (name: string) => (name === "price" ? OPAQUE_PRICE : REVERT),
  },
  [RATE_FEED]: feed(12n * 10n ** 17n, 18, "wstETH-stETH Exchange Rate"),
  [ETH_USD]: feed(3010_00000000n, 8, "ETH / USD"),
  [USDC_USD]: feed(99_980_000n, 8, "USDC / USD"),
});
const MARKET: Record<string, number> = { WETH: 3000, USDC: 1, wstETH: 3590 };

describe("Morpho oracle decomposition (ABI level)", async () => {
  const shapes = await readMorphoOracles({
    client: scriptedClient(rpc),
    oracles: [V2, OPAQUE],
    blockNumber: 100n,
    batchBytes: 4096,
    multicallAddress: MULTICALL3_ADDRESS,
  });

  it("reads the V2 getters and the feeds they name, and keeps another shape as its price alone", () => {
    const v2 = shapes.get(V2.toLowerCase())!;
    expect(v2.decomposed).toBe(true);
    expect(v2.price).toBe(V2_PRICE);
    expect(v2.baseFeeds.map((f) => [f.address.toLowerCase(), f.roundAnswer])).toEqual([
      [RATE_FEED, 1.2],
      [ETH_USD, 3010],
    ]);
    expect(v2.quoteFeeds.map((f) => f.roundAnswer)).toEqual([0.9998]);
    expect(shapes.get(OPAQUE.toLowerCase())).toMatchObject({
      decomposed: false,
      price: OPAQUE_PRICE,
      baseFeeds: [],
    });
  });

  it("with the shapes of an earlier block, reads only the prices and the feeds' rounds, and sees a new price", async () => {
    const before = rpc.requests();
    V2_GETTERS.price = V2_PRICE * 2n;
    try {
      const again = await readMorphoOracles({
        client: scriptedClient(rpc),
        oracles: [V2, OPAQUE],
        blockNumber: 101n,
        batchBytes: 4096,
        multicallAddress: MULTICALL3_ADDRESS,
        known: shapes,
      });
      // One multicall of the two price() calls beside one of the three feeds' rounds.
      expect(rpc.requests() - before).toBe(2);
      const v2 = shapes.get(V2.toLowerCase())!;
      expect(again.get(V2.toLowerCase())).toEqual({ ...v2, price: V2_PRICE * 2n });
      expect(again.get(OPAQUE.toLowerCase())).toEqual(shapes.get(OPAQUE.toLowerCase()));
    } finally {
      V2_GETTERS.price = V2_PRICE;
    }
  });

  it("judges the collateral by ETH/USD through the exchange rate and the loan by its USDC/USD feed", () => {
    const id = (x: Address) => oracleIdOf(1, x);
    const result = morphoOracleReadings({
      chainId: 1,
      marketId: "morpho-blue:1:0xm1",
      shape: shapes.get(V2.toLowerCase())!,
      collateral: "wstETH",
      loan: "USDC",
      collateralDecimals: 18,
      loanDecimals: 6,
      // The WETH reserve of an Aave market is judged by this ETH/USD feed.
      feedAssets: new Map([[ETH_USD.toLowerCase(), "WETH"]]),
    });
    expect(result.notes).toEqual([]);
    expect(result.loanOracle).toBe(id(USDC_USD));
    const { oracles, reportedUsdOf } = toOracleSpecs(result.readings, (asset) => MARKET[asset]);
    expect(oracles[id(ETH_USD)]).toEqual({ kind: "market", asset: "WETH", scale: 3010 / 3000 });
    expect(oracles[id(USDC_USD)]).toEqual({ kind: "market", asset: "USDC", scale: 0.9998 });
    // The collateral is the exchange rate over ETH/USD: 1.2 x what ETH/USD reports.
    const collateral = oracles[result.collateralOracle];
    expect(collateral).toMatchObject({ kind: "rate", oracle: id(ETH_USD) });
    expect(collateral?.kind === "rate" ? collateral.scale : 0).toBeCloseTo(1.2, 9);
    // Morpho's own price, collateral in loan units, at snapshot prices.
    expect(reportedUsdOf(result.collateralOracle)! / reportedUsdOf(result.loanOracle)!).toBeCloseTo(RATIO, 9);
  });

  it("keeps an oracle of another shape as a ratio that moves with the collateral's market, and says so", () => {
    const result = morphoOracleReadings({
      chainId: 1,
      marketId: "morpho-blue:1:0xm2",
      shape: shapes.get(OPAQUE.toLowerCase())!,
      collateral: "WETH",
      loan: "USDC",
      collateralDecimals: 18,
      loanDecimals: 6,
      feedAssets: new Map(),
    });
    expect(result.notes).toHaveLength(1);
    expect(result.notes[0]).toMatch(/not shaped like MorphoChainlinkOracleV2; its price is kept as a ratio/);
    expect(result.loanOracle).toBe("USDC");
    const { oracles, reportedUsdOf } = toOracleSpecs(result.readings, (asset) => MARKET[asset]);
    const collateral = oracles[result.collateralOracle];
    expect(collateral).toMatchObject({ kind: "rate", oracle: "WETH" });
    expect(collateral?.kind === "rate" ? collateral.scale : 0).toBeCloseTo(1, 12);
    expect(reportedUsdOf(result.collateralOracle)).toBeCloseTo(3000, 9);
  });
});
