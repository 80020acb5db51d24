/**
 * Reads an Aave V3 market's parameters at one block through the pool itself (multicall): reserve
 * list, reserve data and configuration bitmaps, eMode categories, each reserve's price source,
 * and the oracle's prices. Every block it also reads what decides who may be liquidated now: each
 * reserve's paused/frozen bits and liquidation grace period (V3.1+), and the L2 price-oracle
 * sentinel. The legacy structs it reads keep one layout from V3.0 to V3.6, so one reader serves both.
 */
import { type Address, zeroAddress } from "viem";
import {
  aaveV3AddressesProviderAbi,
  aaveV3OracleAbi,
  aaveV3PriceOracleSentinelAbi,
} from "../../../../abis/aaveV3Oracle.js";
import { aaveV3PoolAbi } from "../../../../abis/aaveV3Pool.js";
import { FatalError, TransientError } from "../../../core/errors.js";
import type { AssetId } from "../../../core/ids.js";
import { blockTimestampOf } from "../../chain/blockTimestampOf.js";
import { classifyRpcError } from "../../chain/classifyRpcError.js";
import type { ChainClient } from "../../chain/createChainClient.js";
import {
  type BatchedCall,
  type BatchedResult,
  readContractsBatched,
} from "../../chain/readContractsBatched.js";
import { decodeReserveConfiguration, type ReserveConfiguration } from "./decodeReserveConfiguration.js";

export interface AaveReserve {
  readonly underlying: Address;
  readonly asset: AssetId | undefined;
  readonly id: number;
  readonly aToken: Address;
  readonly variableDebtToken: Address;
  /** Zero address when the market has no stable debt (V3.2+). */
  readonly stableDebtToken: Address;
  readonly configuration: ReserveConfiguration;
  /** Oracle price in the base currency (USD) as a float; undefined if the oracle has none. */
  readonly priceUsd: number | undefined;
  /** `getSourceOfAsset` (zero: the oracle's fallback). */
  readonly source: Address;
  /** Unix seconds until which liquidations against this reserve wait (V3.1+); 0 when none. */
  readonly liquidationGraceUntil: number;
}

/** The L2 sentinel: while it disallows liquidations (sequencer down or in its grace period), none happen. */
export interface AaveSentinel {
  readonly address: Address;
  readonly liquidationAllowed: boolean;
  readonly gracePeriodSeconds: number;
}

export interface AaveEMode {
  readonly id: number;
  readonly liquidationThresholdBps: number;
  readonly liquidationBonusBps: number;
  /** Reserve ids whose collateral uses this category's threshold and bonus. */
  readonly reserveIds: ReadonlySet<number>;
}

export interface AaveMarketState {
  readonly reserves: readonly AaveReserve[];
  readonly emodes: ReadonlyMap<number, AaveEMode>;
  /** True from V3.2 on: eMode membership comes from per-category bitmaps. */
  readonly emodeBitmaps: boolean;
  readonly sentinel: AaveSentinel | undefined;
  /**
   * Whether the pool answered `getLiquidationGracePeriod` (V3.1+) at the last whole read. A pool
   * that reverted on it for every reserve (V3.0) is not asked again between whole reads, so a block
   * does not pay a failing call per reserve; an upgrade shows at the next whole read.
   */
  readonly gracePeriods: boolean;
  /** The block's timestamp, unix seconds (grace periods end at a timestamp). */
  readonly blockTimestamp: number;
  /** The price oracle the addresses provider named, and its base currency unit. */
  readonly oracle: Address;
  readonly baseCurrencyUnit: bigint;
}

export interface ReadAaveMarketParameters {
  readonly client: ChainClient;
  readonly pool: Address;
  readonly addressesProvider: Address;
  readonly assetOf: (token: Address) => AssetId | undefined;
  /** Registers the tokens of the reserve list before `assetOf` maps them (unlisted tokens are read on chain). */
  readonly discover?: (tokens: readonly Address[]) => Promise<void>;
  readonly blockNumber: bigint;
  /** The block's timestamp when the caller holds its header (otherwise the header is read). */
  readonly blockTimestamp?: bigint | undefined;
  readonly batchBytes: number;
  readonly multicallAddress?: Address;
  /** Re-read parameters (reserves, eModes) or only prices on top of `previous`. */
  readonly previous?: AaveMarketState | undefined;
}

const ZERO = "0x0000000000000000000000000000000000000000";
const MAX_EMODE_ID = 255;

export async function readAaveMarket(parameters: ReadAaveMarketParameters): Promise<AaveMarketState> {
  const { previous } = parameters;
  // Between parameter refreshes: one round, unless the reserves, oracle or sentinel moved.
  if (previous !== undefined) {
    const live = await readLiveMarket(parameters, previous);
    if (live !== undefined) return live;
  }
  return readWholeMarket({ ...parameters, previous: undefined });
}

/**
 * Prices, reserve flags, grace periods and the sentinel on top of `previous`, in one multicall
 * (grace periods judged at the caller's block timestamp, or the header's when none is given): undefined when the reserve list, the oracle or the sentinel is not
 * the one `previous` was read with (the market is then read whole).
 */
async function readLiveMarket(
  parameters: ReadAaveMarketParameters,
  previous: AaveMarketState,
): Promise<AaveMarketState | undefined> {
  const { client, pool, addressesProvider, blockNumber } = parameters;
  const known = previous.reserves.map((r) => r.underlying);
  const sentinel = previous.sentinel?.address;
  const calls: BatchedCall[] = [
    { address: pool, abi: aaveV3PoolAbi, functionName: "getReservesList" },
    { address: addressesProvider, abi: aaveV3AddressesProviderAbi, functionName: "getPriceOracle" },
    { address: addressesProvider, abi: aaveV3AddressesProviderAbi, functionName: "getPriceOracleSentinel" },
    { address: previous.oracle, abi: aaveV3OracleAbi, functionName: "getAssetsPrices", args: [known] },
    ...liveFlagCalls(pool, known, previous.gracePeriods),
    ...(sentinel === undefined ? [] : sentinelCalls(sentinel)),
  ];
  const [results, timestamp] = await Promise.all([
    readContractsBatched({ ...batchOf(parameters), calls, failuresExpected: true }),
    blockTimestampOf(client, blockNumber, parameters.blockTimestamp),
  ]);
  const ok = (i: number): unknown => (results[i]?.status === "success" ? results[i].result : undefined);
  const list = ok(0) as readonly Address[] | undefined;
  const oracle = ok(1) as Address | undefined;
  if (list === undefined || oracle === undefined)
    throw new TransientError(`aave-v3 pool ${pool}: the reserve list or price oracle could not be read`);
  // A provider that predates the sentinel reverts on its getter: no sentinel.
  const sentinelNow = (ok(2) as Address | undefined) ?? zeroAddress;
  if (
    !sameAddresses(known, list) ||
    oracle.toLowerCase() !== previous.oracle.toLowerCase() ||
    sentinelNow.toLowerCase() !== (sentinel ?? zeroAddress).toLowerCase()
  )
    return undefined;
  const prices = ok(3) as readonly bigint[] | undefined;
  if (prices === undefined) throw new TransientError(`aave-v3 oracle ${oracle}: getAssetsPrices failed`);
  const at = Number(timestamp);
  const flagsEnd = 4 + flagCallsPerReserve(previous.gracePeriods) * known.length;
  const flags = decodeLiveFlags(results.slice(4, flagsEnd), known, at, previous.gracePeriods);
  const sentinelState =
    sentinel === undefined ? undefined : decodeSentinel(pool, sentinel, results.slice(flagsEnd));
  return {
    ...previous,
    sentinel: sentinelState,
    blockTimestamp: at,
    reserves: previous.reserves.map((r, i) => ({
      ...r,
      priceUsd: priceIn(prices[i], previous.baseCurrencyUnit),
      configuration: flags.configurations[i] ?? r.configuration,
      liquidationGraceUntil: flags.graceUntil[i] ?? 0,
    })),
  };
}

/** An oracle answer in the base currency as a float; undefined for no price (0). */
function priceIn(raw: bigint | undefined, baseUnit: bigint): number | undefined {
  return raw === undefined || raw === 0n ? undefined : Number(raw) / Number(baseUnit);
}

/** Every parameter of the market: reserves, eModes, price sources, flags, prices. */
async function readWholeMarket(parameters: ReadAaveMarketParameters): Promise<AaveMarketState> {
  const { client, pool, blockNumber } = parameters;
  const batch = batchOf(parameters);
  const [reserveList, oracle] = await Promise.all([
    client.readContract({ address: pool, abi: aaveV3PoolAbi, functionName: "getReservesList", blockNumber }),
    client.readContract({
      address: parameters.addressesProvider,
      abi: aaveV3AddressesProviderAbi,
      functionName: "getPriceOracle",
      blockNumber,
    }),
  ]);
  const [prices, baseUnit, live] = await Promise.all([
    client.readContract({
      address: oracle,
      abi: aaveV3OracleAbi,
      functionName: "getAssetsPrices",
      args: [reserveList],
      blockNumber,
    }),
    client.readContract({
      address: oracle,
      abi: aaveV3OracleAbi,
      functionName: "BASE_CURRENCY_UNIT",
      blockNumber,
    }),
    readLiveFlags(parameters, reserveList, batch),
  ]);
  const priceOf = (i: number): number | undefined => priceIn(prices[i], baseUnit);
  await parameters.discover?.(reserveList);
  const sourceResults = await readContractsBatched({
    ...batch,
    calls: reserveList.map((underlying) => ({
      address: oracle,
      abi: aaveV3OracleAbi,
      functionName: "getSourceOfAsset",
      args: [underlying],
    })),
    failuresExpected: true,
  });

  const dataResults = await readContractsBatched({
    ...batch,
    calls: reserveList.map((underlying) => ({
      address: pool,
      abi: aaveV3PoolAbi,
      functionName: "getReserveData",
      args: [underlying],
    })),
  });
  const reserves: AaveReserve[] = reserveList.map((underlying, i) => {
    const result = dataResults[i];
    if (result?.status !== "success")
      throw new FatalError(`aave-v3 pool ${pool}: getReserveData(${underlying}) failed`, {
        cause: result?.status === "failure" ? result.error : undefined,
      });
    const data = result.result as {
      configuration: { data: bigint };
      id: number;
      aTokenAddress: Address;
      stableDebtTokenAddress: Address;
      variableDebtTokenAddress: Address;
    };
    return {
      underlying,
      asset: parameters.assetOf(underlying),
      id: data.id,
      aToken: data.aTokenAddress,
      variableDebtToken: data.variableDebtTokenAddress,
      stableDebtToken: data.stableDebtTokenAddress ?? ZERO,
      configuration: decodeReserveConfiguration(data.configuration.data),
      priceUsd: priceOf(i),
      source: sourceResults[i]?.status === "success" ? (sourceResults[i].result as Address) : zeroAddress,
      liquidationGraceUntil: live.graceUntil[i] ?? 0,
    };
  });

  // One probe first: V3.0/V3.1 pools have no bitmap getter, and 255 reverting calls cost seconds.
  const probe = await readContractsBatched({
    ...batch,
    calls: [
      { address: pool, abi: aaveV3PoolAbi, functionName: "getEModeCategoryCollateralBitmap", args: [1] },
    ],
  });
  // Only a revert says the getter is missing: a timeout or a bad reply must not drop the eModes.
  const probed = probe[0];
  if (probed?.status === "failure" && classifyRpcError(probed.error) !== "fatal")
    throw new TransientError(`aave-v3 pool ${pool}: the eMode bitmap probe failed`, {
      cause: probed.error,
    });
  const ids = probed?.status === "success" ? Array.from({ length: MAX_EMODE_ID }, (_, i) => i + 1) : [];
  const bitmapResults = await readContractsBatched({
    ...batch,
    calls: ids.map((id) => ({
      address: pool,
      abi: aaveV3PoolAbi,
      functionName: "getEModeCategoryCollateralBitmap",
      args: [id],
    })),
  });
  // V3.0/V3.1 pools have no bitmap getter: every call fails and membership comes from reserve bits.
  const emodeBitmaps = bitmapResults.some((r) => r.status === "success");
  const members = new Map<number, Set<number>>();
  if (emodeBitmaps) {
    bitmapResults.forEach((r, i) => {
      if (r.status !== "success") return;
      const bitmap = r.result as bigint;
      if (bitmap === 0n) return;
      const set = new Set<number>();
      for (const reserve of reserves) if (((bitmap >> BigInt(reserve.id)) & 1n) === 1n) set.add(reserve.id);
      members.set(ids[i]!, set);
    });
  } else {
    for (const reserve of reserves) {
      const category = reserve.configuration.legacyEModeCategory;
      if (category === 0) continue;
      const set = members.get(category) ?? new Set<number>();
      set.add(reserve.id);
      members.set(category, set);
    }
  }
  const categoryIds = [...members.keys()].sort((a, b) => a - b);
  const categoryResults = await readContractsBatched({
    ...batch,
    calls: categoryIds.map((id) => ({
      address: pool,
      abi: aaveV3PoolAbi,
      functionName: "getEModeCategoryData",
      args: [id],
    })),
  });
  const emodes = new Map<number, AaveEMode>();
  categoryIds.forEach((id, i) => {
    const r = categoryResults[i];
    if (r?.status !== "success")
      throw new FatalError(`aave-v3 pool ${pool}: getEModeCategoryData(${id}) failed`);
    const data = r.result as { liquidationThreshold: number; liquidationBonus: number };
    if (data.liquidationThreshold === 0) return;
    emodes.set(id, {
      id,
      liquidationThresholdBps: data.liquidationThreshold,
      liquidationBonusBps: data.liquidationBonus,
      reserveIds: members.get(id) ?? new Set(),
    });
  });
  return {
    reserves,
    emodes,
    emodeBitmaps,
    sentinel: live.sentinel,
    gracePeriods: live.gracePeriods,
    blockTimestamp: live.blockTimestamp,
    oracle,
    baseCurrencyUnit: baseUnit,
  };
}

interface LiveFlags {
  readonly configurations: Array<ReserveConfiguration | undefined>;
  /** Grace ends still in the future at this block (0 otherwise); undefined on pools without grace periods. */
  readonly graceUntil: Array<number | undefined>;
  /** Whether any reserve answered its grace period. */
  readonly gracePeriods: boolean;
  readonly sentinel: AaveSentinel | undefined;
  readonly blockTimestamp: number;
}

/** Flags that change without a parameter refresh, plus the sentinel (two rounds when there is one). */
async function readLiveFlags(
  parameters: ReadAaveMarketParameters,
  reserveList: readonly Address[],
  batch: ReturnType<typeof batchOf>,
): Promise<LiveFlags> {
  const { client, pool, blockNumber } = parameters;
  const [results, sentinelAddress, timestamp] = await Promise.all([
    readContractsBatched({ ...batch, calls: liveFlagCalls(pool, reserveList, true), failuresExpected: true }),
    client
      .readContract({
        address: parameters.addressesProvider,
        abi: aaveV3AddressesProviderAbi,
        functionName: "getPriceOracleSentinel",
        blockNumber,
      })
      // Pools whose provider predates the sentinel revert here; a network fault must not hide one.
      .catch((error: unknown) => {
        if (classifyRpcError(error) === "fatal") return zeroAddress;
        throw error;
      }),
    blockTimestampOf(client, blockNumber, parameters.blockTimestamp),
  ]);
  const at = Number(timestamp);
  const flags = decodeLiveFlags(results, reserveList, at, true);
  const sentinel =
    sentinelAddress === zeroAddress
      ? undefined
      : decodeSentinel(
          pool,
          sentinelAddress,
          await readContractsBatched({ ...batch, calls: sentinelCalls(sentinelAddress) }),
        );
  return { ...flags, sentinel, blockTimestamp: at };
}

/** Calls per reserve of `liveFlagCalls`. */
function flagCallsPerReserve(gracePeriods: boolean): number {
  return gracePeriods ? 2 : 1;
}

/**
 * Per reserve, `getConfiguration`, then, when `gracePeriods`, `getLiquidationGracePeriod` (V3.1+;
 * older pools revert).
 */
function liveFlagCalls(pool: Address, reserveList: readonly Address[], gracePeriods: boolean): BatchedCall[] {
  return reserveList.flatMap((underlying) => [
    { address: pool, abi: aaveV3PoolAbi, functionName: "getConfiguration", args: [underlying] },
    ...(gracePeriods
      ? [{ address: pool, abi: aaveV3PoolAbi, functionName: "getLiquidationGracePeriod", args: [underlying] }]
      : []),
  ]);
}

function decodeLiveFlags(
  results: readonly BatchedResult[],
  reserveList: readonly Address[],
  blockTimestamp: number,
  gracePeriods: boolean,
): Pick<LiveFlags, "configurations" | "graceUntil" | "gracePeriods"> {
  const stride = flagCallsPerReserve(gracePeriods);
  const configurations = reserveList.map((_, i) => {
    const r = results[stride * i];
    return r?.status === "success"
      ? decodeReserveConfiguration((r.result as { data: bigint }).data)
      : undefined;
  });
  const graceUntil = reserveList.map((_, i) => {
    const r = gracePeriods ? results[stride * i + 1] : undefined;
    if (r?.status !== "success") return undefined;
    const until = Number(r.result);
    return until > blockTimestamp ? until : 0;
  });
  return { configurations, graceUntil, gracePeriods: graceUntil.some((until) => until !== undefined) };
}

function sentinelCalls(sentinel: Address): BatchedCall[] {
  return [
    { address: sentinel, abi: aaveV3PriceOracleSentinelAbi, functionName: "isLiquidationAllowed" },
    { address: sentinel, abi: aaveV3PriceOracleSentinelAbi, functionName: "getGracePeriod" },
  ];
}

function decodeSentinel(pool: Address, sentinel: Address, results: readonly BatchedResult[]): AaveSentinel {
  const [allowed, grace] = results;
  if (allowed?.status !== "success")
    throw new TransientError(`aave-v3 pool ${pool}: sentinel ${sentinel} isLiquidationAllowed failed`);
  return {
    address: sentinel,
    liquidationAllowed: allowed.result === true,
    gracePeriodSeconds: grace?.status === "success" ? Number(grace.result) : 0,
  };
}

function batchOf(parameters: ReadAaveMarketParameters) {
  return {
    client: parameters.client,
    blockNumber: parameters.blockNumber,
    batchBytes: parameters.batchBytes,
    ...(parameters.multicallAddress === undefined ? {} : { multicallAddress: parameters.multicallAddress }),
  };
}

function sameAddresses(a: readonly Address[], b: readonly Address[]): boolean {
  return a.length === b.length && a.every((x, i) => x.toLowerCase() === b[i]!.toLowerCase());
}
