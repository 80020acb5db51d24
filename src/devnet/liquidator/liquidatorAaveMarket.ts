import type { Address, PublicClient } from "viem";
import { aaveV3PoolAbi } from "../../../abis/aaveV3Pool.js";
import type { ChainClient } from "../../adapters/chain/createChainClient.js";
import { readAaveMarket } from "../../adapters/protocols/aave-v3/readAaveMarket.js";
import { FatalError } from "../../core/errors.js";
import { asAssetId } from "../../core/ids.js";
import type { AaveCloseParams } from "../../core/rules/aaveV3.js";
import type { CascadeTarget, TargetAaveMarket } from "./cascadeTarget.js";

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
  /** eMode categories with a non-zero liquidation threshold, by id. */
  readonly emodes: ReadonlyMap<number, AaveEModeInfo>;
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

/** Calldata bytes per multicall chunk: the devnet node's call gas cap is never near. */
const BATCH_BYTES = 200_000;

/**
 * The liquidator's view of an Aave market: its reserves and eModes as the indexer reads them
 * (`readAaveMarket`, the one reader of Aave market parameters), converted to the model's
 * fractions, plus the market's borrowers from its `Borrow` events.
 */
export async function readLiquidatorAaveMarket(
  client: PublicClient,
  target: CascadeTarget,
  market: TargetAaveMarket,
): Promise<AaveMarketInfo> {
  const byToken = new Map(target.assets.map((asset) => [asset.token.toLowerCase(), asAssetId(asset.id)]));
  const blockNumber = await client.getBlockNumber({ cacheTime: 0 });
  const addressesProvider = await client.readContract({
    address: market.pool,
    abi: aaveV3PoolAbi,
    functionName: "ADDRESSES_PROVIDER",
  });
  const state = await readAaveMarket({
    client: client as ChainClient,
    pool: market.pool,
    addressesProvider,
    assetOf: (token) => byToken.get(token.toLowerCase()),
    blockNumber,
    batchBytes: BATCH_BYTES,
  });
  const reserves: AaveReserveInfo[] = state.reserves.map((reserve) => {
    if (reserve.asset === undefined)
      throw new FatalError(`Aave reserve ${reserve.underlying} is not a devnet asset`);
    const c = reserve.configuration;
    return {
      asset: reserve.asset,
      underlying: reserve.underlying,
      reserveId: reserve.id,
      aToken: reserve.aToken,
      variableDebtToken: reserve.variableDebtToken,
      decimals: c.decimals,
      liquidationThreshold: c.liquidationThresholdBps / 10_000,
      liquidationBonus: c.liquidationBonusBps === 0 ? 0 : c.liquidationBonusBps / 10_000 - 1,
      protocolFee: c.liquidationProtocolFeeBps / 10_000,
    };
  });
  const assetOfReserve = new Map(reserves.map((r) => [r.reserveId, r.asset]));
  const emodes = new Map<number, AaveEModeInfo>();
  for (const [id, emode] of state.emodes)
    emodes.set(id, {
      liquidationThreshold: emode.liquidationThresholdBps / 10_000,
      liquidationBonus: emode.liquidationBonusBps / 10_000 - 1,
      assets: new Set([...emode.reserveIds].flatMap((rid) => assetOfReserve.get(rid) ?? [])),
    });
  const logs = await client.getLogs({
    address: market.pool,
    event: aaveV3PoolAbi.find((item) => item.type === "event" && item.name === "Borrow")!,
    fromBlock: market.fromBlock,
    toBlock: blockNumber,
  });
  const borrowers = [...new Set(logs.map((log) => log.args.onBehalfOf!))];
  return { target: market, close: aaveCloseParams(market.liquidationLogic), reserves, borrowers, emodes };
}
