/**
 * Reads Aave V3 positions with two multicall rounds: each account's configuration bitmap and
 * eMode, then the aToken and debt-token `balanceOf` of exactly the reserves the bitmap marks
 * (the amounts the protocol itself reports, to the last unit).
 */
import type { Address } from "viem";
import { aaveV3PoolAbi } from "../../../../abis/aaveV3Pool.js";
import { erc20Abi } from "../../../../abis/erc20.js";
import { type AssetId, asAssetId } from "../../../core/ids.js";
import type { PositionData } from "../../../core/snapshot/schema.js";
import { callAddress } from "../../chain/callAddress.js";
import type { ChainClient } from "../../chain/createChainClient.js";
import { type BatchedCall, readContractsBatched } from "../../chain/readContractsBatched.js";
import { mustSucceedFor } from "../mustSucceedFor.js";
import { toTokenUnits } from "../toTokenUnits.js";
import { unreadableAssetId } from "../unreadableAssetId.js";
import { isBorrowing, isUsingAsCollateral } from "./decodeReserveConfiguration.js";
import type { AaveMarketState, AaveReserve } from "./readAaveMarket.js";

export interface ReadAavePositionsParameters {
  readonly client: ChainClient;
  readonly pool: Address;
  readonly marketId: string;
  readonly state: AaveMarketState;
  readonly accounts: readonly Address[];
  readonly blockNumber: bigint;
  readonly batchBytes: number;
  readonly multicallAddress?: Address;
}

const ZERO = "0x0000000000000000000000000000000000000000";
const mustSucceed = mustSucceedFor("aave-v3");

type Read = { kind: "collateral" | "debt"; account: number; reserve: AaveReserve };

/** `null` for an account without debt. Every reserve the bitmap marks is read, listed or not. */
export async function readAavePositions(
  parameters: ReadAavePositionsParameters,
): Promise<Map<string, PositionData | null>> {
  const { client, pool, state, accounts, blockNumber } = parameters;
  const batch = {
    client,
    blockNumber,
    batchBytes: parameters.batchBytes,
    ...(parameters.multicallAddress === undefined ? {} : { multicallAddress: parameters.multicallAddress }),
  };
  const users = accounts.map(callAddress);
  const headCalls: BatchedCall[] = users.flatMap((user) => [
    { address: pool, abi: aaveV3PoolAbi, functionName: "getUserConfiguration", args: [user] },
    { address: pool, abi: aaveV3PoolAbi, functionName: "getUserEMode", args: [user] },
  ]);
  const head = await readContractsBatched({ ...batch, calls: headCalls });
  const reads: Read[] = [];
  const calls: BatchedCall[] = [];
  const emodeOf: number[] = [];
  users.forEach((account, a) => {
    const config = mustSucceed(head[2 * a], "getUserConfiguration") as { data: bigint };
    const emode = Number(mustSucceed(head[2 * a + 1], "getUserEMode") as bigint);
    emodeOf.push(emode);
    const category = state.emodes.get(emode);
    for (const reserve of state.reserves) {
      if (isBorrowing(config.data, reserve.id)) {
        reads.push({ kind: "debt", account: a, reserve });
        calls.push({
          address: reserve.variableDebtToken,
          abi: erc20Abi,
          functionName: "balanceOf",
          args: [account],
        });
        if (reserve.stableDebtToken !== ZERO) {
          reads.push({ kind: "debt", account: a, reserve });
          calls.push({
            address: reserve.stableDebtToken,
            abi: erc20Abi,
            functionName: "balanceOf",
            args: [account],
          });
        }
      }
      const threshold = category?.reserveIds.has(reserve.id)
        ? category.liquidationThresholdBps
        : reserve.configuration.liquidationThresholdBps;
      // The snapshot's Aave collateral: enabled by the user and with a liquidation threshold above 0.
      if (isUsingAsCollateral(config.data, reserve.id) && threshold > 0) {
        reads.push({ kind: "collateral", account: a, reserve });
        calls.push({ address: reserve.aToken, abi: erc20Abi, functionName: "balanceOf", args: [account] });
      }
    }
  });
  const balances = await readContractsBatched({ ...batch, calls });
  const wei: Array<{
    collateral: Map<AssetId, bigint>;
    debt: Map<AssetId, bigint>;
    decimals: Map<AssetId, number>;
  }> = accounts.map(() => ({
    collateral: new Map(),
    debt: new Map(),
    decimals: new Map(),
  }));
  reads.forEach((read, i) => {
    const amount = mustSucceed(balances[i], "balanceOf") as bigint;
    // A token that could not be read keeps a stand-in id: the snapshot excludes the position whole.
    const asset = read.reserve.asset ?? asAssetId(unreadableAssetId(read.reserve.underlying));
    const entry = wei[read.account]!;
    const side = entry[read.kind];
    side.set(asset, (side.get(asset) ?? 0n) + amount);
    entry.decimals.set(asset, read.reserve.configuration.decimals);
  });
  const out = new Map<string, PositionData | null>();
  accounts.forEach((account, a) => {
    const entry = wei[a]!;
    const debt = toUnits(entry.debt, entry.decimals);
    if (Object.keys(debt).length === 0) {
      out.set(account, null);
      return;
    }
    const emode = emodeOf[a]!;
    out.set(account, {
      market: parameters.marketId,
      account,
      collateral: toUnits(entry.collateral, entry.decimals),
      debt,
      emode: state.emodes.has(emode) ? emode : 0,
    });
  });
  return out;
}

function toUnits(amounts: Map<AssetId, bigint>, decimals: Map<AssetId, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [asset, amount] of amounts)
    if (amount > 0n) out[asset] = toTokenUnits(amount, decimals.get(asset) ?? 18);
  return out;
}
