/**
 * Aave price sources at the ABI level: a scripted Aave oracle whose `getSourceOfAsset` names, per
 * reserve, each kind mainnet uses: a Chainlink feed (WETH: ETH/USD), an exchange-rate adapter over
 * that feed (wstETH), an exchange-rate adapter over a feed no reserve uses (weETH), a capped-stable
 * adapter (USDT, capped at $1 while its feed says 1.002), a constant (GHO) and no source at all (the
 * fallback oracle). Expected specs are written from the chain's answers and the market prices.
 */
import type { Address } from "viem";
import { describe, expect, it } from "vitest";
import { aavePriceCapAdapterAbi } from "../../../abis/aavePriceCapAdapter.js";
import { chainlinkAggregatorAbi } from "../../../abis/chainlinkAggregator.js";
import { MULTICALL3_ADDRESS } from "../../../src/adapters/chain/detectMulticall3.js";
import { oracleIdOf } from "../../../src/adapters/oracles/OracleReading.js";
import { priceSourceReadings } from "../../../src/adapters/oracles/priceSourceReadings.js";
import { readPriceSources } from "../../../src/adapters/oracles/readPriceSources.js";
import { toOracleSpecs } from "../../../src/adapters/oracles/toOracleSpecs.js";
import { REVERT, scriptedClient, scriptedRpc } from "../../helpers/scriptedRpc.js";

const a = (n: number): Address => `0x${n.toString(16).padStart(40, "0")}`;
const ETH_USD = a(0xe1);
const OTHER_ETH_USD = a(0xe2);
const USDT_USD = a(0x71);
const WSTETH_CAPO = a(0xc1);
const WEETH_CAPO = a(0xc2);
const USDT_CAPO = a(0xc3);
const GHO_FIXED = a(0xf1);
const ZERO = a(0);

const feed = (answer: bigint, description: string) => ({
  abi: chainlinkAggregatorAbi,
  answer: (name: string) =>
    name === "latestRoundData"
      ? [7n, answer, 1_700_000_000n, 1_700_000_100n, 7n]
      : name === "decimals"
        ? 8
        : name === "description"
          ? description
          : name === "latestAnswer"
            ? answer
            : REVERT,
});
/** An adapter answers `latestAnswer` and `decimals` but no round data, as Aave's CAPO adapters do. */
const adapter = (
  getter: "BASE_TO_USD_AGGREGATOR" | "ASSET_TO_USD_AGGREGATOR",
  inner: Address,
  answer: bigint,
) => [
  { abi: aavePriceCapAdapterAbi, answer: (name: string) => (name === getter ? inner : REVERT) },
  {
    abi: chainlinkAggregatorAbi,
    answer: (name: string) => (name === "latestAnswer" ? answer : name === "decimals" ? 8 : REVERT),
  },
];

const rpc = scriptedRpc({
  [ETH_USD]: feed(3010_00000000n, "ETH / USD"),
  [OTHER_ETH_USD]: feed(3005_00000000n, "ETH / USD"),
  [USDT_USD]: feed(1_00200000n, "USDT / USD"),
  [WSTETH_CAPO]: adapter("BASE_TO_USD_AGGREGATOR", ETH_USD, 3612_00000000n),
  [WEETH_CAPO]: adapter("BASE_TO_USD_AGGREGATOR", OTHER_ETH_USD, 3155_25000000n),
  [USDT_CAPO]: adapter("ASSET_TO_USD_AGGREGATOR", USDT_USD, 1_00000000n),
  [GHO_FIXED]: {
    abi: chainlinkAggregatorAbi,
    answer: (name: string) => (name === "latestAnswer" ? 1_00000000n : name === "decimals" ? 8 : REVERT),
  },
});
const client = scriptedClient(rpc);

const SOURCES = [
  { asset: "WETH", token: a(0x101), source: ETH_USD, priceUsd: 3010 },
  { asset: "wstETH", token: a(0x102), source: WSTETH_CAPO, priceUsd: 3612 },
  { asset: "weETH", token: a(0x103), source: WEETH_CAPO, priceUsd: 3155.25 },
  { asset: "USDT", token: a(0x104), source: USDT_CAPO, priceUsd: 1 },
  { asset: "GHO", token: a(0x105), source: GHO_FIXED, priceUsd: 1 },
  { asset: "sDAI", token: a(0x106), source: ZERO, priceUsd: 1.15 },
];
const MARKET: Record<string, number> = {
  WETH: 3000,
  wstETH: 3590,
  weETH: 3150,
  USDT: 1.001,
  GHO: 0.998,
  sDAI: 1.15,
};

describe("price sources (ABI level)", () => {
  it("probes every source and the feeds under adapters in two requests, and tells the kinds apart", async () => {
    const before = rpc.requests();
    const probes = await readPriceSources({
      client,
      sources: SOURCES.map((s) => s.source),
      blockNumber: 100n,
      batchBytes: 4096,
      multicallAddress: MULTICALL3_ADDRESS,
    });
    expect(rpc.requests() - before).toBe(2);
    expect(probes.get(ETH_USD)).toMatchObject({ roundAnswer: 3010, description: "ETH / USD" });
    expect(probes.get(WSTETH_CAPO)).toMatchObject({ baseToUsd: ETH_USD, roundAnswer: undefined });
    expect(probes.get(USDT_CAPO)).toMatchObject({ assetToUsd: USDT_USD });
    // Feeds only an adapter names are probed too.
    expect(probes.get(OTHER_ETH_USD)?.roundAnswer).toBe(3005);
    expect(probes.get(USDT_USD)?.roundAnswer).toBe(1.002);

    const { readings, oracleOf, notes } = priceSourceReadings(1, SOURCES, probes, (asset) =>
      asset === "WETH" ? 0.005 : undefined,
    );
    const id = (address: Address) => oracleIdOf(1, address);
    expect(Object.fromEntries(oracleOf)).toEqual({
      WETH: id(ETH_USD),
      wstETH: id(WSTETH_CAPO),
      weETH: id(WEETH_CAPO),
      USDT: id(USDT_CAPO),
      GHO: id(GHO_FIXED),
      sDAI: `oracle:1:fallback:${a(0x106)}`,
    });
    expect(notes, notes.join("\n")).toHaveLength(1);
    expect(notes[0]).toMatch(/weETH: its oracle's base feed .* \(ETH \/ USD\) is no listed asset's own feed/);

    const { oracles, reportedUsdOf } = toOracleSpecs(readings, (asset) => MARKET[asset]);
    // ETH/USD has a 0.5% threshold from the config: it starts at its answer.
    expect(oracles[id(ETH_USD)]).toEqual({
      kind: "market",
      asset: "WETH",
      deviation: 0.005,
      reportedUsd: 3010,
    });
    // wstETH = (3612 / 3010) x ETH/USD: it lags exactly as ETH/USD does.
    expect(oracles[id(WSTETH_CAPO)]).toEqual({ kind: "rate", oracle: id(ETH_USD), scale: 3612 / 3010 });
    // The unplaced base feed follows weETH's own market, at its ratio to it.
    expect(oracles[id(OTHER_ETH_USD)]).toEqual({ kind: "market", asset: "weETH", scale: 3005 / 3150 });
    expect(oracles[id(WEETH_CAPO)]).toEqual({
      kind: "rate",
      oracle: id(OTHER_ETH_USD),
      scale: 3155.25 / 3005,
    });
    // Capped: 1.00 over a feed at 1.002.
    expect(oracles[id(USDT_USD)]).toEqual({ kind: "market", asset: "USDT", scale: 1.002 / 1.001 });
    expect(oracles[id(USDT_CAPO)]).toEqual({ kind: "rate", oracle: id(USDT_USD), scale: 1 / 1.002 });
    expect(oracles[id(GHO_FIXED)]).toEqual({ kind: "fixed", priceUsd: 1 });
    expect(oracles[`oracle:1:fallback:${a(0x106)}`]).toEqual({ kind: "fixed", priceUsd: 1.15 });
    // At snapshot prices every oracle reports exactly what the protocol answered.
    for (const s of SOURCES) expect(reportedUsdOf(oracleOf.get(s.asset)!)).toBeCloseTo(s.priceUsd, 9);
  });

  it("with an earlier block's probes, reads the sources and their feeds in one request and probes the same", async () => {
    const settings = { client, blockNumber: 100n, batchBytes: 4096, multicallAddress: MULTICALL3_ADDRESS };
    const sources = SOURCES.map((s) => s.source);
    const first = await readPriceSources({ ...settings, sources });
    const before = rpc.requests();
    const again = await readPriceSources({
      ...settings,
      sources: [...sources, ...[...first.values()].map((p) => p.address)],
      known: first,
    });
    expect(rpc.requests() - before).toBe(1);
    expect(again).toEqual(first);
  });
});
