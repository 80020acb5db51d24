/**
 * Uniswap V3 at the ABI level: a scripted WETH/USDC 0.05% pool as mainnet has it (USDC is token0
 * with 6 decimals, WETH token1 with 18, so the pool price is WETH per USDC and the snapshot's
 * USDC per WETH is its inverse). Positions, by raw tick: A [190000, 200000) 1e18, B [196000,
 * 196500) 3e18, C [197000, 198000) 2e18, D [201000, 202000) 5e17, E [180000, 181000) far away.
 * The expected ranges are written out from the formulas: price at tick t = 1e12 / 1.0001^t,
 * L = L_raw / 10^((18 + 6) / 2), the window ±50% of the price.
 */
import { type Address, zeroAddress } from "viem";
import { describe, expect, it } from "vitest";
import { erc20Abi } from "../../../abis/erc20.js";
import { uniswapV3FactoryAbi } from "../../../abis/uniswapV3Factory.js";
import { uniswapV3PoolAbi } from "../../../abis/uniswapV3Pool.js";
import { MULTICALL3_ADDRESS } from "../../../src/adapters/chain/detectMulticall3.js";
import { findUniswapV3Pool } from "../../../src/adapters/pools/uniswap-v3/findUniswapV3Pool.js";
import { readUniswapV3Pool } from "../../../src/adapters/pools/uniswap-v3/readUniswapV3Pool.js";
import { REVERT, scriptedClient, scriptedRpc } from "../../helpers/scriptedRpc.js";

const USDC: Address = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48";
const WETH: Address = "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2";
const WBTC: Address = "0x2260FAC5E5542a773Aa44fBCfeDf7C193bc2C599";
const POOL: Address = "0x88e6A0c2dDD26FEEb64F039a2c41296FcB3f5640";
const POOL_3000: Address = "0x8ad599c3A0ff1De082011EFDDc58f1908eb6e6D8";
const BTC_POOL: Address = "0x99ac8cA7087fA4A2A1FB6357269965A2014ABc35";
const FACTORY: Address = "0x1F98431c8aD98523631AE4a59f267346ea31F984";

const e18 = 10n ** 18n;
const NET: Record<number, bigint> = {
  180000: 7n * e18,
  181000: -7n * e18,
  190000: e18,
  196000: 3n * e18,
  196500: -3n * e18,
  197000: 2n * e18,
  198000: -2n * e18,
  200000: -e18,
  201000: e18 / 2n,
  202000: -e18 / 2n,
};
const TICK = 196255;
const SQRT_PRICE_X96 = BigInt(Math.round(Math.sqrt(1.0001 ** 196255.5) * 2 ** 96));
const LIQUIDITY = 4n * e18; // A + B are in range

function bitmapWord(word: number, spacing: number, ticks: readonly number[]): bigint {
  let bitmap = 0n;
  for (const t of ticks) {
    const compressed = Math.floor(t / spacing);
    if (Math.floor(compressed / 256) === word) bitmap |= 1n << BigInt(((compressed % 256) + 256) % 256);
  }
  return bitmap;
}

function poolScript(
  token0: Address,
  token1: Address,
  fee: number,
  spacing: number,
  state: {
    sqrtPriceX96: bigint;
    tick: number;
    liquidity: bigint;
    net: Record<number, bigint>;
  },
) {
  const ticks = Object.keys(state.net).map(Number);
  return {
    abi: uniswapV3PoolAbi,
    answer: (name: string, args: readonly unknown[]) => {
      switch (name) {
        case "token0":
          return token0;
        case "token1":
          return token1;
        case "fee":
          return fee;
        case "tickSpacing":
          return spacing;
        case "liquidity":
          return state.liquidity;
        case "slot0":
          return [state.sqrtPriceX96, state.tick, 0, 1, 1, 0, true];
        case "tickBitmap":
          return bitmapWord(Number(args[0]), spacing, ticks);
        case "ticks": {
          const net = state.net[Number(args[0])] ?? 0n;
          return [net < 0n ? -net : net, net, 0n, 0n, 0n, 0n, 0, net !== 0n];
        }
        default:
          return REVERT;
      }
    },
  };
}

const token = (decimals: number) => ({
  abi: erc20Abi,
  answer: (name: string) => (name === "decimals" ? decimals : REVERT),
});

function chain() {
  const rpc = scriptedRpc({
    [POOL]: poolScript(USDC, WETH, 500, 10, {
      sqrtPriceX96: SQRT_PRICE_X96,
      tick: TICK,
      liquidity: LIQUIDITY,
      net: NET,
    }),
    [POOL_3000]: poolScript(USDC, WETH, 3000, 60, {
      sqrtPriceX96: SQRT_PRICE_X96,
      tick: TICK,
      liquidity: e18,
      net: {},
    }),
    // WBTC is token0 (8 decimals) against USDC token1 (6): one position [60000, 70000) of 5e12.
    [BTC_POOL]: poolScript(WBTC, USDC, 3000, 60, {
      sqrtPriceX96: BigInt(Math.round(Math.sqrt(1.0001 ** 64000) * 2 ** 96)),
      tick: 64000,
      liquidity: 5n * 10n ** 12n,
      net: { 60000: 5n * 10n ** 12n, 70020: -(5n * 10n ** 12n) },
    }),
    [USDC]: token(6),
    [WETH]: token(18),
    [WBTC]: token(8),
    [FACTORY]: {
      abi: uniswapV3FactoryAbi,
      answer: (name: string, args: readonly unknown[]) => {
        if (name !== "getPool") return REVERT;
        const fee = Number(args[2]);
        return fee === 500 ? POOL : fee === 3000 ? POOL_3000 : zeroAddress;
      },
    },
  });
  return { rpc, client: scriptedClient(rpc) };
}

const read = { blockNumber: 100n, batchBytes: 4096, multicallAddress: MULTICALL3_ADDRESS } as const;

describe("Uniswap V3 pool reader (ABI level)", () => {
  it("reads a token1 asset's ranges in quote per asset, gaps left out, ticks beyond ±50% unread, in three requests", async () => {
    const { rpc, client } = chain();
    const reading = await readUniswapV3Pool({
      client,
      pool: POOL,
      assetToken: WETH,
      quoteToken: USDC,
      ...read,
    });
    // Price of WETH in USDC = 1 / (raw price x 10^(6 - 18)), raw price = (sqrtPriceX96 / 2^96)^2.
    const raw = (Number(SQRT_PRICE_X96) / 2 ** 96) ** 2;
    expect(reading.price).toBeCloseTo(1e12 / raw, 9);
    expect(reading.price).toBeGreaterThan(2995);
    expect(reading.price).toBeLessThan(3005);
    const p = (t: number) => 1e12 / 1.0001 ** t;
    // Window: raw price x [1/1.5, 2] for a token1 asset, rounded outwards to whole ticks.
    const low = TICK + Math.floor(Math.log(1 / 1.5) / Math.log(1.0001));
    const high = TICK + Math.ceil(Math.log(2) / Math.log(1.0001));
    expect([low, high]).toEqual([192200, 203187]);
    const expected = [
      { lower: p(202000), upper: p(201000), liquidity: 0.5e6 },
      { lower: p(200000), upper: p(198000), liquidity: 1e6 },
      { lower: p(198000), upper: p(197000), liquidity: 3e6 },
      { lower: p(197000), upper: p(196500), liquidity: 1e6 },
      { lower: p(196500), upper: p(196000), liquidity: 4e6 },
      { lower: p(196000), upper: p(low), liquidity: 1e6 },
    ];
    expect(reading.ranges).toHaveLength(expected.length);
    reading.ranges.forEach((range, i) => {
      expect(range.lower).toBeCloseTo(expected[i]!.lower, 6);
      expect(range.upper).toBeCloseTo(expected[i]!.upper, 6);
      expect(range.liquidity).toBeCloseTo(expected[i]!.liquidity, 9);
    });
    // Adjacent ranges share their boundary exactly; the current price is inside the in-range one.
    expect(reading.ranges[2]!.upper).toBe(reading.ranges[3]!.lower);
    expect(reading.price).toBeGreaterThan(reading.ranges[4]!.lower);
    expect(reading.price).toBeLessThan(reading.ranges[4]!.upper);
    expect(reading.feeBps).toBe(5);
    expect([reading.assetDecimals, reading.quoteDecimals]).toEqual([18, 6]);
    // Ticks 180000, 181000 and 190000 lie below the window: never asked for.
    expect(reading.initializedTicks).toBe(7);
    const askedTicks = rpc.calls.filter((c) => c.functionName === "ticks").length;
    expect(askedTicks).toBe(7);
    expect(rpc.requests()).toBe(3);
  });

  it("keeps the pool's own direction for a token0 asset and cuts a range at the window", async () => {
    const { client } = chain();
    const reading = await readUniswapV3Pool({
      client,
      pool: BTC_POOL,
      assetToken: WBTC,
      quoteToken: USDC,
      ...read,
    });
    // USDC per WBTC = 1.0001^tick x 10^(8 - 6); L = 5e12 / 10^((8 + 6) / 2) = 5e5.
    expect(reading.price).toBeCloseTo(1.0001 ** 64000 * 100, 6);
    expect(reading.ranges).toHaveLength(1);
    expect(reading.ranges[0]!.lower).toBeCloseTo(1.0001 ** 60000 * 100, 6);
    // The position reaches tick 70020, beyond +50% (tick 64000 + 4055): the range stops at the window.
    expect(reading.ranges[0]!.upper).toBeCloseTo(1.0001 ** 68055 * 100, 6);
    expect(reading.ranges[0]!.liquidity).toBeCloseTo(5e5, 9);
  });

  it("refuses a pool that does not hold the pair", async () => {
    const { client } = chain();
    await expect(
      readUniswapV3Pool({ client, pool: BTC_POOL, assetToken: WETH, quoteToken: USDC, ...read }),
    ).rejects.toThrow(/does not trade/);
  });

  it("finds the deepest pool of a pair among the factory's fee tiers", async () => {
    const { client } = chain();
    const found = await findUniswapV3Pool({ client, factory: FACTORY, tokenA: WETH, tokenB: USDC, ...read });
    expect(found).toBe(POOL);
  });
});
