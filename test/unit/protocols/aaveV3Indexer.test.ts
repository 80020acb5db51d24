/**
 * Aave V3 at the ABI level: a scripted pool with three reserves, one of them (sUSDe) not in the
 * config, as mainnet's ~30 reserves mostly are not. The unlisted reserve is read on chain (symbol,
 * decimals) and kept, priced by the pool's own oracle through its exchange-rate adapter; USDC is
 * frozen and sUSDe is in a liquidation grace period. Values are written from the encoded chain state.
 */
import { type Address, getAddress, numberToHex, zeroAddress } from "viem";
import { describe, expect, it } from "vitest";
import { aavePriceCapAdapterAbi } from "../../../abis/aavePriceCapAdapter.js";
import { aaveV3AddressesProviderAbi, aaveV3OracleAbi } from "../../../abis/aaveV3Oracle.js";
import { aaveV3PoolAbi } from "../../../abis/aaveV3Pool.js";
import { chainlinkAggregatorAbi } from "../../../abis/chainlinkAggregator.js";
import { erc20Abi } from "../../../abis/erc20.js";
import { MULTICALL3_ADDRESS } from "../../../src/adapters/chain/detectMulticall3.js";
import { oracleIdOf } from "../../../src/adapters/oracles/OracleReading.js";
import { AssetRegistry } from "../../../src/adapters/protocols/AssetRegistry.js";
import { createAaveV3Indexer } from "../../../src/adapters/protocols/aave-v3/createAaveV3Indexer.js";
import { buildSnapshotWithOmissions } from "../../../src/app/buildSnapshot.js";
import { assetSchema } from "../../../src/config/schema/assets.js";
import { aaveMarketConfigSchema } from "../../../src/config/schema/markets.js";
import { aaveReserveHolds, takenAtSecondsOf } from "../../../src/core/rules/aaveLiquidationFlags.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import type { AaveMarketData } from "../../../src/core/snapshot/schema.js";
import { aavePositionsReaderModel } from "../../helpers/aavePositionsReaderModel.js";
import { REVERT, type ScriptedCreation, scriptedClient, scriptedRpc } from "../../helpers/scriptedRpc.js";

const a = (n: number): Address => `0x${n.toString(16).padStart(40, "0")}`;
const POOL = a(0x9001);
const PROVIDER = a(0x9002);
const ORACLE = a(0x9003);
const WETH = a(0x1001);
const USDC = a(0x1002);
const SUSDE = a(0x1003);
const ETH_USD = a(0xf001);
const USDC_USD = a(0xf002);
const USDE_USD = a(0xf003);
const SUSDE_CAPO = a(0xc003);
const BORROWER = getAddress(a(0xb0b));
const NOW = 1_800_000_000;
const GRACE_UNTIL = NOW + 3600;

/** Reserve configuration bits: LTV, LT, bonus, decimals, active, frozen, paused, protocol fee. */
function configuration(c: {
  lt: number;
  bonus: number;
  decimals: number;
  frozen?: boolean;
  paused?: boolean;
}): bigint {
  return (
    BigInt(c.lt - 500) |
    (BigInt(c.lt) << 16n) |
    (BigInt(c.bonus) << 32n) |
    (BigInt(c.decimals) << 48n) |
    (1n << 56n) |
    ((c.frozen === true ? 1n : 0n) << 57n) |
    (1n << 58n) |
    ((c.paused === true ? 1n : 0n) << 60n) |
    (1000n << 152n)
  );
}
const RESERVES: Record<
  string,
  { id: number; config: bigint; aToken: Address; debt: Address; price: bigint; source: Address }
> = {
  [WETH]: {
    id: 0,
    config: configuration({ lt: 8300, bonus: 10500, decimals: 18 }),
    aToken: a(0xa1),
    debt: a(0xd1),
    price: 3010_00000000n,
    source: ETH_USD,
  },
  [USDC]: {
    id: 1,
    config: configuration({ lt: 7800, bonus: 10450, decimals: 6, frozen: true }),
    aToken: a(0xa2),
    debt: a(0xd2),
    price: 1_00010000n,
    source: USDC_USD,
  },
  [SUSDE]: {
    id: 2,
    config: configuration({ lt: 7500, bonus: 10850, decimals: 18 }),
    aToken: a(0xa3),
    debt: a(0xd3),
    price: 1_17000000n,
    source: SUSDE_CAPO,
  },
};
const BALANCES: Record<string, bigint> = {
  [a(0xa1)]: 2n * 10n ** 18n,
  [a(0xa3)]: 10_000n * 10n ** 18n,
  [a(0xd2)]: 9_000n * 10n ** 6n,
};
// Collateral WETH (bit 1) and sUSDe (bit 5), borrowing USDC (bit 2).
const USER_CONFIG = (1n << 1n) | (1n << 5n) | (1n << 2n);

const feed = (answer: bigint, description: string) => ({
  abi: chainlinkAggregatorAbi,
  answer: (name: string) =>
    name === "latestRoundData"
      ? [1n, answer, 0n, 1n, 1n]
      : name === "decimals"
        ? 8
        : name === "description"
          ? description
          : REVERT,
});
const balanceToken = (address: Address) => ({
  abi: erc20Abi,
  answer: (name: string, args: readonly unknown[]) =>
    name === "balanceOf" ? (args[0] === BORROWER ? (BALANCES[address] ?? 0n) : 0n) : REVERT,
});

/** False: the pool predates grace periods (V3.0) and reverts on `getLiquidationGracePeriod`. */
let poolHasGracePeriods = true;
/** Grace end of sUSDe the pool answers. */
/** Block headers the indexer fetched (eth_getBlockByNumber). */
let headerReads = 0;
let susdeGraceUntil = GRACE_UNTIL;

/** The reader runs out of gas above this many accounts per call (a node with a low call gas cap). */
let readerGasCapAccounts = Number.POSITIVE_INFINITY;
const readerCalls: number[] = [];
const cappedReader: ScriptedCreation = {
  ...aavePositionsReaderModel,
  run(args, call) {
    const users = args[4] as readonly Address[];
    readerCalls.push(users.length);
    // A call to nothing reverts, as the out-of-gas call does.
    if (users.length > readerGasCapAccounts) call(zeroAddress, erc20Abi, "balanceOf", [zeroAddress]);
    return aavePositionsReaderModel.run(args, call);
  },
};

const rpc = scriptedRpc(
  {
    [POOL]: {
      abi: aaveV3PoolAbi,
      answer: (name: string, args: readonly unknown[]) => {
        const reserve = RESERVES[String(args[0])];
        switch (name) {
          case "getReservesList":
            return [WETH, USDC, SUSDE];
          case "getReserveData":
            return {
              configuration: { data: reserve!.config },
              liquidityIndex: 10n ** 27n,
              currentLiquidityRate: 0n,
              variableBorrowIndex: 10n ** 27n,
              currentVariableBorrowRate: 0n,
              currentStableBorrowRate: 0n,
              lastUpdateTimestamp: NOW,
              id: reserve!.id,
              aTokenAddress: reserve!.aToken,
              stableDebtTokenAddress: a(0),
              variableDebtTokenAddress: reserve!.debt,
              interestRateStrategyAddress: a(0),
              accruedToTreasury: 0n,
              unbacked: 0n,
              isolationModeTotalDebt: 0n,
            };
          case "getConfiguration":
            return { data: reserve!.config };
          case "getLiquidationGracePeriod":
            if (!poolHasGracePeriods) return REVERT;
            return args[0] === SUSDE ? susdeGraceUntil : NOW - 10;
          case "getEModeCategoryCollateralBitmap":
            return 0n;
          case "getReserveDeficit":
            return 0n;
          case "getUserConfiguration":
            return { data: args[0] === BORROWER ? USER_CONFIG : 0n };
          case "getUserEMode":
            return 0n;
          default:
            return REVERT;
        }
      },
    },
    [PROVIDER]: {
      abi: aaveV3AddressesProviderAbi,
      answer: (name: string) =>
        name === "getPriceOracle" ? ORACLE : name === "getPriceOracleSentinel" ? a(0) : REVERT,
    },
    [ORACLE]: {
      abi: aaveV3OracleAbi,
      answer: (name: string, args: readonly unknown[]) =>
        name === "getAssetsPrices"
          ? (args[0] as Address[]).map((t) => RESERVES[t]!.price)
          : name === "BASE_CURRENCY_UNIT"
            ? 10n ** 8n
            : name === "getSourceOfAsset"
              ? RESERVES[String(args[0])]!.source
              : REVERT,
    },
    [ETH_USD]: feed(3010_00000000n, "ETH / USD"),
    [USDC_USD]: feed(1_00010000n, "USDC / USD"),
    [USDE_USD]: feed(99_950000n, "USDe / USD"),
    [SUSDE_CAPO]: [
      {
        abi: aavePriceCapAdapterAbi,
        answer: (name: string) => (name === "BASE_TO_USD_AGGREGATOR" ? USDE_USD : REVERT),
      },
      {
        abi: chainlinkAggregatorAbi,
        answer: (name: string) => (name === "latestAnswer" ? 1_17000000n : REVERT),
      },
    ],
    [SUSDE]: {
      abi: erc20Abi,
      answer: (name: string) => (name === "symbol" ? "sUSDe" : name === "decimals" ? 18 : REVERT),
    },
    ...Object.fromEntries(
      [a(0xa1), a(0xa2), a(0xa3), a(0xd1), a(0xd2), a(0xd3)].map((t) => [t, balanceToken(t)]),
    ),
  },
  (method) => {
    if (method !== "eth_getBlockByNumber") return undefined;
    headerReads++;
    return {
      number: numberToHex(100),
      hash: `0x${"11".repeat(32)}`,
      parentHash: `0x${"22".repeat(32)}`,
      timestamp: numberToHex(NOW),
      transactions: [],
      logsBloom: `0x${"00".repeat(256)}`,
    };
  },
  [cappedReader],
);

describe("aave-v3 indexer (ABI level)", () => {
  const configured = [
    { id: "WETH", tokens: { "1": WETH } },
    { id: "USDC", tokens: { "1": USDC } },
  ].map((x) => assetSchema.parse(x));
  const assets = new AssetRegistry(configured);
  const newIndexer = () =>
    createAaveV3Indexer({
      client: scriptedClient(rpc),
      config: aaveMarketConfigSchema.parse({
        protocol: "aave-v3",
        chain: 1,
        pool: POOL,
        addressesProvider: PROVIDER,
      }),
      assets,
      batchBytes: 4096,
      multicallAddress: MULTICALL3_ADDRESS,
    });
  const indexer = newIndexer();
  const marketId = `aave-v3:1:${POOL.toLowerCase()}`;

  it("keeps an unlisted reserve, with its symbol and decimals read on chain and its price from the pool's oracle", async () => {
    const reading = await indexer.readMarkets(100n);
    expect(assets.discovered()).toEqual([
      { id: "sUSDe", chainId: 1, token: SUSDE, symbol: "sUSDe", decimals: 18 },
    ]);
    const market = reading.markets[0]!;
    expect(market.protocol === "aave-v3" ? Object.keys(market.reserves) : []).toEqual([
      "WETH",
      "USDC",
      "sUSDe",
    ]);
    expect(reading.unpriced).toEqual([]);
    // Model 2.1 flags in the market, written only where set (the scripted pool has no sentinel).
    const flagsOf = (asset: string) => {
      if (market.protocol !== "aave-v3") return undefined;
      const { paused, frozen, liquidationGraceUntil } = market.reserves[asset]!;
      return { paused, frozen, liquidationGraceUntil };
    };
    expect(flagsOf("WETH")).toEqual({
      paused: undefined,
      frozen: undefined,
      liquidationGraceUntil: undefined,
    });
    expect(flagsOf("USDC")).toEqual({ paused: undefined, frozen: true, liquidationGraceUntil: undefined });
    expect(flagsOf("sUSDe")).toEqual({
      paused: undefined,
      frozen: undefined,
      liquidationGraceUntil: GRACE_UNTIL,
    });
    expect(market.protocol === "aave-v3" ? market.sentinel : "not aave").toBeUndefined();
    const oracles = reading.marketOracles?.get(marketId);
    expect(oracles).toEqual({
      kind: "per-asset",
      byAsset: {
        WETH: oracleIdOf(1, ETH_USD),
        USDC: oracleIdOf(1, USDC_USD),
        sUSDe: oracleIdOf(1, SUSDE_CAPO),
      },
    });
    const positions = await indexer.readPositions([BORROWER], 100n);
    expect(positions.get(BORROWER)).toEqual({
      market: marketId,
      account: BORROWER,
      collateral: { WETH: 2, sUSDe: 10_000 },
      debt: { USDC: 9000 },
      emode: 0,
    });

    // Into a snapshot: sUSDe is an asset; every reserve is judged by its own oracle, as on chain.
    const { snapshot, omissions } = buildSnapshotWithOmissions({
      assets: configured,
      discovered: assets.discovered(),
      readings: [reading],
      pools: [],
      positions: [...positions.values()].filter((p) => p !== null),
      blocks: new Map([[1, 100n]]),
      takenAt: new Date(NOW * 1000),
    });
    expect(omissions.excludedPositions).toBe(0);
    const parsed = parseSnapshot(snapshot);
    expect(parsed.assets.map((x) => [x.id, x.priceUsd, x.decimals])).toEqual([
      ["WETH", 3010, 18],
      ["USDC", 1.0001, 6],
      ["sUSDe", 1.17, 18],
    ]);
    const reserves = snapshot.markets[0]!.protocol === "aave-v3" ? snapshot.markets[0]!.reserves : {};
    expect(reserves.sUSDe).toMatchObject({ liquidationThreshold: 0.75, oracle: oracleIdOf(1, SUSDE_CAPO) });
    expect(snapshot.oracles?.[oracleIdOf(1, SUSDE_CAPO)]).toEqual({
      kind: "rate",
      oracle: oracleIdOf(1, USDE_USD),
      scale: 1.17 / 0.9995,
    });
    // The grace period runs at takenAt: sUSDe is held, the frozen USDC is not.
    expect(parsed.markets[0]).toMatchObject({ reserves: { sUSDe: { liquidationGraceUntil: GRACE_UNTIL } } });
    expect(
      aaveReserveHolds(parsed.markets[0] as AaveMarketData, takenAtSecondsOf(parsed.source.takenAt)),
    ).toEqual(new Map([["sUSDe", { reason: "grace-period", untilSeconds: GRACE_UNTIL }]]));
  });

  it("splits a positions read that fails as a whole down to calls that pass, with the same positions", async () => {
    await indexer.readMarkets(100n);
    const others = [0xe1, 0xe2, 0xe3, 0xe4].map((n) => getAddress(a(n)));
    const whole = await indexer.readPositions([BORROWER, ...others], 100n);
    readerGasCapAccounts = 2;
    readerCalls.length = 0;
    try {
      const split = await indexer.readPositions([BORROWER, ...others], 100n);
      expect(split).toEqual(whole);
      expect(split.get(BORROWER)?.debt).toEqual({ USDC: 9000 });
      expect(others.map((o) => split.get(o))).toEqual([null, null, null, null]);
      // 5 accounts fail, then 3 fail and 2 pass, then 2 + 1 pass (the scripted node's client
      // retries a failed call a few times before the reader splits it).
      expect([...new Set(readerCalls)]).toEqual([5, 3, 2, 1]);
      expect(readerCalls.filter((n) => n <= 2)).toEqual([2, 2, 1]);
    } finally {
      readerGasCapAccounts = Number.POSITIVE_INFINITY;
    }
  });

  it("takes the block's timestamp from the caller when given: no header read, grace periods judged at it", async () => {
    const graceOf = (reading: Awaited<ReturnType<typeof indexer.readMarkets>>) => {
      const market = reading.markets[0]!;
      return market.protocol === "aave-v3" ? market.reserves.sUSDe?.liquidationGraceUntil : "not aave";
    };
    const fresh = newIndexer();
    headerReads = 0;
    // A whole read and a block's read, each at a time given: the grace period runs until GRACE_UNTIL.
    expect(graceOf(await fresh.readMarkets(100n, BigInt(NOW)))).toBe(GRACE_UNTIL);
    expect(graceOf(await fresh.readMarkets(101n, BigInt(GRACE_UNTIL + 1)))).toBeUndefined();
    expect(headerReads).toBe(0);
    // Without it, the header is read (the scripted node's block is at NOW).
    expect(graceOf(await fresh.readMarkets(102n))).toBe(GRACE_UNTIL);
    expect(headerReads).toBe(1);
  });

  it("asks a pool for grace periods between whole reads only if it answered them at the last whole read", async () => {
    const graceCalls = () => rpc.calls.filter((c) => c.functionName === "getLiquidationGracePeriod").length;
    const graceOf = (reading: Awaited<ReturnType<typeof indexer.readMarkets>>) => {
      const market = reading.markets[0]!;
      return market.protocol === "aave-v3" ? market.reserves.sUSDe?.liquidationGraceUntil : "not aave";
    };
    try {
      // A V3.1+ pool: every block asks, so a grace period set between whole reads shows at once.
      const current = newIndexer();
      await current.readMarkets(100n);
      susdeGraceUntil = GRACE_UNTIL + 600;
      rpc.calls.length = 0;
      const later = await current.readMarkets(101n);
      expect(graceCalls()).toBe(3);
      expect(graceOf(later)).toBe(GRACE_UNTIL + 600);

      // A V3.0 pool reverts on the getter: asked at the whole read, not in the blocks after it.
      poolHasGracePeriods = false;
      const old = newIndexer();
      rpc.calls.length = 0;
      const whole = await old.readMarkets(100n);
      expect(graceCalls()).toBe(3);
      expect(graceOf(whole)).toBeUndefined();
      rpc.calls.length = 0;
      const block = await old.readMarkets(101n);
      expect(graceCalls()).toBe(0);
      expect(rpc.calls.filter((c) => c.functionName === "getConfiguration").length).toBe(3);
      expect(block.markets).toEqual(whole.markets);
    } finally {
      poolHasGracePeriods = true;
      susdeGraceUntil = GRACE_UNTIL;
    }
  });
});
