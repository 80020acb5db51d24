import { describe, expect, it } from "vitest";
import type { MarketsReading } from "../../../src/adapters/protocols/ProtocolIndexer.js";
import { buildSnapshot } from "../../../src/app/buildSnapshot.js";
import { assetSchema } from "../../../src/config/schema/assets.js";
import { asAssetId } from "../../../src/core/ids.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";

const A = (raw: Record<string, unknown>) => assetSchema.parse(raw);
const PAIR = "0x00000000000000000000000000000000000000aa";

const assets = [
  A({
    id: "WETH",
    tokens: { "1": "0x0000000000000000000000000000000000000001" },
    liquidity: { kind: "uniswap-v2", chain: 1, pair: PAIR, quote: "USDC" },
  }),
  A({
    id: "wstETH",
    follows: { asset: "WETH", beta: 1 },
    liquidity: { kind: "depth", depthUsd: 8e6, depthPct: 0.02 },
  }),
  A({ id: "USDC", liquidity: { kind: "infinite" } }),
  A({ id: "DAI", priceUsd: 1 }),
];

const aaveReading: MarketsReading = {
  markets: [
    {
      id: "aave-v3:1:0xpool",
      protocol: "aave-v3",
      liquidationLogic: "v3.3",
      closeFactor: 0.5,
      closeFactorHfThreshold: 0.95,
      fullCloseBelowUsd: 2000,
      minLeftoverUsd: 1000,
      liquidationGasUsd: 0,
      reserves: {
        WETH: { liquidationThreshold: 0.83, liquidationBonus: 0.05, protocolFee: 0.1 },
        USDC: { liquidationThreshold: 0.78, liquidationBonus: 0.045, protocolFee: 0.1 },
      },
      emodes: {},
    },
  ],
  prices: [
    { asset: asAssetId("WETH"), kind: "usd", priceUsd: 2990, source: "aave" },
    { asset: asAssetId("USDC"), kind: "usd", priceUsd: 1.0002, source: "aave" },
  ],
  decimals: new Map([
    [asAssetId("WETH"), 18],
    [asAssetId("USDC"), 6],
  ]),
  unknownTokens: [],
};
const morphoReading: MarketsReading = {
  markets: [
    {
      id: "morpho-blue:1:0xid",
      protocol: "morpho-blue",
      collateral: "wstETH",
      loan: "WETH",
      lltv: 0.945,
      liquidationGasUsd: 0,
    },
  ],
  prices: [
    {
      asset: asAssetId("wstETH"),
      kind: "relative",
      ratio: 1.2,
      quoteAsset: asAssetId("WETH"),
      source: "morpho",
    },
  ],
  decimals: new Map([[asAssetId("wstETH"), 18]]),
  unknownTokens: [],
};

describe("buildSnapshot", () => {
  const snapshot = buildSnapshot({
    assets,
    readings: [aaveReading, morphoReading],
    pools: [
      { asset: "WETH", quote: "USDC", reserveAsset: 1000, reserveQuote: 3_000_000, feeBps: 30, decimals: 18 },
    ],
    positions: [
      { market: "morpho-blue:1:0xid", account: "0xb", collateral: { wstETH: 2 }, debt: { WETH: 1.5 } },
      { market: "aave-v3:1:0xpool", account: "0xa", collateral: { WETH: 1 }, debt: { USDC: 1000 }, emode: 0 },
    ],
    blocks: new Map([[1, 21_000_000n]]),
    takenAt: new Date("2026-11-21T00:00:00Z"),
  });

  it("prices a pooled asset at the pool's spot in its quote's oracle price, not at the protocol oracle", () => {
    const weth = snapshot.assets.find((a) => a.id === "WETH")!;
    // 3,000,000 USDC × 1.0002 $/USDC over 1000 WETH.
    expect(weth.priceUsd).toBeCloseTo(3000.6, 9);
    expect(weth.liquidity).toEqual({
      kind: "pool",
      reserveAsset: 1000,
      reserveUsd: 1000 * weth.priceUsd,
      feeBps: 30,
    });
  });

  it("prices a Morpho collateral through its oracle ratio and the loan asset's price", () => {
    expect(snapshot.assets.find((a) => a.id === "wstETH")!.priceUsd).toBeCloseTo(1.2 * 3000.6, 9);
  });

  it("leaves out unused unpriced assets, sorts positions and passes parseSnapshot", () => {
    expect(snapshot.assets.map((a) => a.id)).toEqual(["WETH", "wstETH", "USDC", "DAI"]);
    expect(snapshot.positions.map((p) => p.market)).toEqual(["aave-v3:1:0xpool", "morpho-blue:1:0xid"]);
    expect(snapshot.source).toEqual({
      chainIds: [1],
      blocks: { "1": 21_000_000 },
      takenAt: "2026-11-21T00:00:00.000Z",
      staleMarkets: [],
    });
    expect(() => parseSnapshot(snapshot)).not.toThrow();
  });

  it("names an asset a market needs but nothing prices", () => {
    const unpriced = [A({ id: "WETH" }), A({ id: "USDC" })];
    expect(() =>
      buildSnapshot({
        assets: unpriced,
        readings: [{ ...aaveReading, prices: [] }],
        pools: [],
        positions: [],
        blocks: new Map(),
        takenAt: new Date(0),
      }),
    ).toThrow(/asset WETH: no oracle/);
  });
});
