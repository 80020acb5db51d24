import { type Address, type PublicClient, parseAbi } from "viem";
import { FatalError } from "../../../core/errors.js";
import type { AaveCloseParams } from "../../../core/rules/aaveV3.js";
import type { CascadeTarget, TargetAaveMarket } from "./cascadeTarget.js";
import { aaveDataProviderAbi, aavePoolAbi } from "./liquidatorAbis.js";

/** One reserve with its model parameters (fractions: threshold 0.83, bonus above 1 0.05, fee share 0.1). */
export interface AaveReserveInfo {
  readonly asset: string;
  readonly underlying: Address;
  readonly reserveId: number;
  readonly aToken: Address;
  readonly variableDebtToken: Address;
  readonly decimals: number;
  readonly liquidationThreshold: number;
  readonly liquidationBonus: number;
  readonly protocolFee: number;
}

export interface AaveEModeInfo {
  readonly liquidationThreshold: number;
  readonly liquidationBonus: number;
  /** Assets whose collateral gets the category's threshold and bonus. */
  readonly assets: ReadonlySet<string>;
}

export interface AaveMarketInfo {
  readonly target: TargetAaveMarket;
  readonly close: AaveCloseParams;
  readonly reserves: readonly AaveReserveInfo[];
  /** Borrowers seen in `Borrow` events since the market's first block. */
  readonly borrowers: readonly Address[];
  /** Reads an eMode category (cached by the caller per id). */
  readonly readEMode: (id: number) => Promise<AaveEModeInfo>;
}

/** Aave's own constants for the two liquidation logics (docs/cascade-model.md section 1 defaults). */
export function aaveCloseParams(liquidationLogic: "v3.0" | "v3.3"): AaveCloseParams {
  return {
    liquidationLogic,
    closeFactor: 0.5,
    closeFactorHfThreshold: 0.95,
    fullCloseBelowUsd: 2000,
    minLeftoverUsd: 1000,
  };
}

const tokensAbi = parseAbi([
  "function getReserveTokensAddresses(address asset) view returns (address aTokenAddress, address stableDebtTokenAddress, address variableDebtTokenAddress)",
  "function getReserveEModeCategory(address asset) view returns (uint256)",
]);
const emodeV36Abi = parseAbi([
  "function getEModeCategoryCollateralConfig(uint8 id) view returns ((uint16 ltv, uint16 liquidationThreshold, uint16 liquidationBonus))",
  "function getEModeCategoryCollateralBitmap(uint8 id) view returns (uint128)",
]);
const emodeV30Abi = parseAbi([
  "function getEModeCategoryData(uint8 id) view returns ((uint16 ltv, uint16 liquidationThreshold, uint16 liquidationBonus, address priceSource, string label))",
]);

/** Reads an Aave market's reserves, their risk parameters and its borrowers. */
export async function readAaveMarket(
  client: PublicClient,
  target: CascadeTarget,
  market: TargetAaveMarket,
): Promise<AaveMarketInfo> {
  const byToken = new Map(target.assets.map((asset) => [asset.token.toLowerCase(), asset]));
  const list = await client.readContract({
    address: market.pool,
    abi: aavePoolAbi,
    functionName: "getReservesList",
  });
  const provider = market.poolDataProvider;
  const reads = await client.multicall({
    allowFailure: false,
    contracts: list.flatMap((underlying) => [
      {
        address: provider,
        abi: tokensAbi,
        functionName: "getReserveTokensAddresses" as const,
        args: [underlying] as const,
      },
      {
        address: provider,
        abi: aaveDataProviderAbi,
        functionName: "getReserveConfigurationData" as const,
        args: [underlying] as const,
      },
      {
        address: provider,
        abi: aaveDataProviderAbi,
        functionName: "getLiquidationProtocolFee" as const,
        args: [underlying] as const,
      },
    ]),
  });
  const reserves: AaveReserveInfo[] = list.map((underlying, reserveId) => {
    const asset = byToken.get(underlying.toLowerCase());
    if (asset === undefined) throw new FatalError(`Aave reserve ${underlying} is not a devnet asset`);
    const tokens = reads[3 * reserveId] as readonly [Address, Address, Address];
    const config = reads[3 * reserveId + 1] as readonly [bigint, bigint, bigint, bigint, ...unknown[]];
    const fee = reads[3 * reserveId + 2] as bigint;
    return {
      asset: asset.id,
      underlying,
      reserveId,
      aToken: tokens[0],
      variableDebtToken: tokens[2],
      decimals: Number(config[0]),
      liquidationThreshold: Number(config[2]) / 10_000,
      liquidationBonus: config[3] === 0n ? 0 : Number(config[3]) / 10_000 - 1,
      protocolFee: Number(fee) / 10_000,
    };
  });
  const logs = await client.getLogs({
    address: market.pool,
    event: aavePoolAbi.find((item) => item.type === "event" && item.name === "Borrow")!,
    fromBlock: market.fromBlock,
    toBlock: "latest",
  });
  const borrowers = [...new Set(logs.map((log) => log.args.onBehalfOf!))];
  const readEMode = async (id: number): Promise<AaveEModeInfo> =>
    market.liquidationLogic === "v3.3"
      ? readEModeV36(client, market, reserves, id)
      : readEModeV30(client, market, reserves, id);
  return { target: market, close: aaveCloseParams(market.liquidationLogic), reserves, borrowers, readEMode };
}

async function readEModeV36(
  client: PublicClient,
  market: TargetAaveMarket,
  reserves: readonly AaveReserveInfo[],
  id: number,
): Promise<AaveEModeInfo> {
  const [config, bitmap] = await client.multicall({
    allowFailure: false,
    contracts: [
      {
        address: market.pool,
        abi: emodeV36Abi,
        functionName: "getEModeCategoryCollateralConfig",
        args: [id],
      },
      {
        address: market.pool,
        abi: emodeV36Abi,
        functionName: "getEModeCategoryCollateralBitmap",
        args: [id],
      },
    ],
  });
  const assets = new Set(
    reserves.filter((r) => ((bitmap >> BigInt(r.reserveId)) & 1n) === 1n).map((r) => r.asset),
  );
  return {
    liquidationThreshold: config.liquidationThreshold / 10_000,
    liquidationBonus: config.liquidationBonus / 10_000 - 1,
    assets,
  };
}

async function readEModeV30(
  client: PublicClient,
  market: TargetAaveMarket,
  reserves: readonly AaveReserveInfo[],
  id: number,
): Promise<AaveEModeInfo> {
  const data = await client.readContract({
    address: market.pool,
    abi: emodeV30Abi,
    functionName: "getEModeCategoryData",
    args: [id],
  });
  const categories = await client.multicall({
    allowFailure: false,
    contracts: reserves.map((r) => ({
      address: market.poolDataProvider,
      abi: tokensAbi,
      functionName: "getReserveEModeCategory" as const,
      args: [r.underlying] as const,
    })),
  });
  const assets = new Set(reserves.filter((_, k) => Number(categories[k]) === id).map((r) => r.asset));
  return {
    liquidationThreshold: data.liquidationThreshold / 10_000,
    liquidationBonus: data.liquidationBonus / 10_000 - 1,
    assets,
  };
}
