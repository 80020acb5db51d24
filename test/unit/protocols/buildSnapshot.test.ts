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
      {
        kind: "pair",
        asset: "WETH",
        quote: "USDC",
        reserveAsset: 1000,
        reserveQuote: 3_000_000,
        feeBps: 30,
        decimals: 18,
      },
    ],
    positions: [
      { market: "morpho-blue:1:0xid", account: "0xb", collateral: { wstETH: 2 }, debt: { WETH: 1.5 } },
      { market: "aave-v3:1:0xpool", account: "0xa", collateral: { WETH: 1 }, debt: { USDC: 1000 }, emode: 0 },
    ],
    blocks: new Map([[1, 21_000_000n]]),
    takenAt: new Date("2026-11-21T00:00:00Z"),
  });

  it("prices a pooled asset at the pool's spot in its quote's price, and trades it against that quote", () => {
    const weth = snapshot.assets.find((a) => a.id === "WETH")!;
    // 3,000,000 USDC × 1.0002 $/USDC over 1000 WETH.
    expect(weth.priceUsd).toBeCloseTo(3000.6, 9);
    expect(weth.liquidity).toEqual({
      kind: "pool",
      quote: "USDC",
      reserveAsset: 1000,
      reserveQuote: 3_000_000,
      feeBps: 30,
    });
  });

  it("prices a Morpho collateral through its oracle ratio and the loan asset's price", () => {
    expect(snapshot.assets.find((a) => a.id === "wstETH")!.priceUsd).toBeCloseTo(1.2 * 3000.6, 9);
  });

  it("lists the configured priced assets, sorts positions, reports nothing left out and passes parseSnapshot", () => {
    expect(snapshot.schema).toBe("cascade-snapshot/2");
    expect(snapshot.assets.map((a) => a.id)).toEqual(["WETH", "wstETH", "USDC", "DAI"]);
    expect(snapshot.positions.map((p) => p.market)).toEqual(["aave-v3:1:0xpool", "morpho-blue:1:0xid"]);
    expect(snapshot.source).toEqual({
      chainIds: [1],
      blocks: { "1": 21_000_000 },
      takenAt: "2026-11-21T00:00:00.000Z",
      staleMarkets: [],
      unpriced: [],
      excluded: { positions: 0, debtUsd: 0 },
    });
    expect(() => parseSnapshot(snapshot)).not.toThrow();
  });

  it("excludes whole the positions holding what nothing prices, names it, and drops it from the market", () => {
    const unpricedAssets = [A({ id: "WETH" }), A({ id: "USDC", priceUsd: 1 })];
    const built = buildSnapshot({
      assets: unpricedAssets,
      readings: [{ ...aaveReading, prices: [] }],
      pools: [],
      positions: [
        {
          market: "aave-v3:1:0xpool",
          account: "0xa",
          collateral: { WETH: 1 },
          debt: { USDC: 1000 },
          emode: 0,
        },
        {
          market: "aave-v3:1:0xpool",
          account: "0xb",
          collateral: { USDC: 5000 },
          debt: { USDC: 1000 },
          emode: 0,
        },
      ],
      blocks: new Map(),
      takenAt: new Date(0),
    });
    expect(built.source?.unpriced).toEqual([
      { market: "aave-v3:1:0xpool", asset: "WETH", reason: "no oracle of the markets and no pool prices it" },
    ]);
    expect(built.source?.excluded).toEqual({ positions: 1, debtUsd: 1000 });
    expect(built.positions.map((p) => p.account)).toEqual(["0xb"]);
    const market = built.markets[0]!;
    expect(market.protocol === "aave-v3" ? Object.keys(market.reserves) : []).toEqual(["USDC"]);
    expect(() => parseSnapshot(built)).not.toThrow();
  });
  it("treats an asset quoted in (or following) an unpriced asset as unpriced, transitively, and still parses", () => {
    // FRAX has no price; DAI trades against FRAX, WETH against DAI, wstETH follows WETH.
    const chained = [
      A({ id: "FRAX" }),
      A({
        id: "DAI",
        priceUsd: 1,
        liquidity: { kind: "depth", quote: "FRAX", depthUsd: 1e6, depthPct: 0.02 },
      }),
      A({ id: "WETH", liquidity: { kind: "infinite", quote: "DAI" } }),
      A({ id: "wstETH", follows: { asset: "WETH", beta: 1 } }),
      A({ id: "USDC", liquidity: { kind: "infinite" } }),
    ];
    const market = aaveReading.markets[0]!;
    if (market.protocol !== "aave-v3") throw new Error("the fixture market is Aave V3");
    const reserve = { liquidationThreshold: 0.8, liquidationBonus: 0.05, protocolFee: 0.1 };
    const position = (account: string, collateral: string) => ({
      market: market.id,
      account,
      collateral: { [collateral]: 1 },
      debt: { USDC: 100 },
      emode: 0,
    });
    const built = buildSnapshot({
      assets: chained,
      readings: [
        {
          ...aaveReading,
          markets: [{ ...market, reserves: { ...market.reserves, DAI: reserve, wstETH: reserve } }],
          prices: [
            ...aaveReading.prices,
            { asset: asAssetId("wstETH"), kind: "usd", priceUsd: 3500, source: "aave" },
          ],
        },
      ],
      pools: [],
      positions: ["WETH", "USDC", "DAI", "wstETH"].map((asset, i) => position(`0x${i}`, asset)),
      blocks: new Map([[1, 1n]]),
      takenAt: new Date(0),
    });
    expect(built.source?.unpriced).toEqual([
      { market: market.id, asset: "WETH", reason: "quoted in DAI, which is unpriced" },
      { market: market.id, asset: "DAI", reason: "quoted in FRAX, which is unpriced" },
      { market: market.id, asset: "wstETH", reason: "follows WETH, which is unpriced" },
    ]);
    expect(built.assets.map((a) => a.id)).toEqual(["USDC"]);
    expect(built.positions.map((p) => p.account)).toEqual(["0x1"]);
    expect(built.source?.excluded).toEqual({ positions: 3, debtUsd: expect.closeTo(300 * 1.0002, 9) });
    const kept = built.markets[0]!;
    expect(kept.protocol === "aave-v3" ? Object.keys(kept.reserves) : []).toEqual(["USDC"]);
    expect(() => parseSnapshot(built)).not.toThrow();
  });

  it("writes a Uniswap V3 pool as concentrated ranges against its quote, and a follower's in USD", () => {
    const ranges = [
      { lower: 2500, upper: 2900, liquidity: 1e6 },
      { lower: 2900, upper: 3100, liquidity: 4e6 },
    ];
    const built = buildSnapshot({
      assets,
      readings: [aaveReading, morphoReading],
      pools: [
        {
          kind: "concentrated",
          asset: "WETH",
          quote: "USDC",
          pool: "0xp",
          price: 3000,
          ranges,
          feeBps: 5,
          decimals: 18,
        },
        {
          kind: "concentrated",
          asset: "wstETH",
          quote: "USDC",
          pool: "0xq",
          price: 3600,
          ranges,
          feeBps: 5,
          decimals: 18,
        },
      ],
      positions: [],
      blocks: new Map([[1, 1n]]),
      takenAt: new Date(0),
    });
    const weth = built.assets.find((x) => x.id === "WETH")!;
    expect(weth.priceUsd).toBeCloseTo(3000 * 1.0002, 9);
    expect(weth.liquidity).toEqual({ kind: "concentrated", quote: "USDC", feeBps: 5, ranges });
    // wstETH follows WETH, so it trades against USD: prices x 1.0002, L x sqrt(1.0002).
    const wsteth = built.assets.find((x) => x.id === "wstETH")!;
    const liquidity = wsteth.liquidity;
    expect(liquidity?.kind).toBe("concentrated");
    if (liquidity?.kind !== "concentrated") return;
    expect(liquidity.quote).toBeUndefined();
    expect(liquidity.ranges[1]!.lower).toBeCloseTo(2900 * 1.0002, 9);
    expect(liquidity.ranges[1]!.liquidity).toBeCloseTo(4e6 * Math.sqrt(1.0002), 6);
    expect(() => parseSnapshot(built)).not.toThrow();
  });
});
