/**
 * Reads an Aave V3 market's parameters at one block through the pool itself (multicall): reserve
 * list, reserve data and configuration bitmaps, eMode categories, and the oracle's prices. The
 * legacy structs it reads keep one layout from V3.0 to V3.6, so one reader serves both.
 */
import type { Address } from "viem";
import { aaveV3AddressesProviderAbi, aaveV3OracleAbi } from "../../../../abis/aaveV3Oracle.js";
import { aaveV3PoolAbi } from "../../../../abis/aaveV3Pool.js";
import { FatalError } from "../../../core/errors.js";
import type { AssetId } from "../../../core/ids.js";
import type { ChainClient } from "../../chain/createChainClient.js";
import { readContractsBatched } from "../../chain/readContractsBatched.js";
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
}

export interface ReadAaveMarketParameters {
  readonly client: ChainClient;
  readonly pool: Address;
  readonly addressesProvider: Address;
  readonly assetOf: (token: Address) => AssetId | undefined;
  readonly blockNumber: bigint;
  readonly batchBytes: number;
  readonly multicallAddress?: Address;
  /** Re-read parameters (reserves, eModes) or only prices on top of `previous`. */
  readonly previous?: AaveMarketState;
}

const ZERO = "0x0000000000000000000000000000000000000000";
const MAX_EMODE_ID = 255;

export async function readAaveMarket(parameters: ReadAaveMarketParameters): Promise<AaveMarketState> {
  const { client, pool, blockNumber } = parameters;
  const batch = {
    client,
    blockNumber,
    batchBytes: parameters.batchBytes,
    ...(parameters.multicallAddress === undefined ? {} : { multicallAddress: parameters.multicallAddress }),
  };
  const [reserveList, oracle] = await Promise.all([
    parameters.previous === undefined
      ? client.readContract({
          address: pool,
          abi: aaveV3PoolAbi,
          functionName: "getReservesList",
          blockNumber,
        })
      : Promise.resolve(parameters.previous.reserves.map((r) => r.underlying)),
    client.readContract({
      address: parameters.addressesProvider,
      abi: aaveV3AddressesProviderAbi,
      functionName: "getPriceOracle",
      blockNumber,
    }),
  ]);
  const [prices, baseUnit] = await Promise.all([
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
  ]);
  const priceOf = (i: number): number | undefined => {
    const raw = prices[i];
    return raw === undefined || raw === 0n ? undefined : Number(raw) / Number(baseUnit);
  };
  if (parameters.previous !== undefined)
    return {
      ...parameters.previous,
      reserves: parameters.previous.reserves.map((r, i) => ({ ...r, priceUsd: priceOf(i) })),
    };

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
    };
  });

  // One probe first: V3.0/V3.1 pools have no bitmap getter, and 255 reverting calls cost seconds.
  const probe = await readContractsBatched({
    ...batch,
    calls: [
      { address: pool, abi: aaveV3PoolAbi, functionName: "getEModeCategoryCollateralBitmap", args: [1] },
    ],
  });
  const ids = probe[0]?.status === "success" ? Array.from({ length: MAX_EMODE_ID }, (_, i) => i + 1) : [];
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
  return { reserves, emodes, emodeBitmaps };
}
