/**
 * Reads Aave V3 positions in one round: `AavePositionsReader` (never deployed, run as the
 * creation code of an `eth_call`) answers per account its configuration bitmap and eMode and the
 * aToken and debt-token `balanceOf` of exactly the reserves the bitmap marks (the amounts the
 * tokens themselves report, to the last unit), 100 accounts per call.
 */
import { type Address, decodeAbiParameters, encodeDeployData } from "viem";
import { aavePositionsReaderAbi, aavePositionsReaderBytecode } from "../../../../abis/aavePositionsReader.js";
import { TransientError } from "../../../core/errors.js";
import { type AssetId, asAssetId } from "../../../core/ids.js";
import type { PositionData } from "../../../core/snapshot/schema.js";
import { callAddress } from "../../chain/callAddress.js";
import { classifyRpcError } from "../../chain/classifyRpcError.js";
import type { ChainClient } from "../../chain/createChainClient.js";
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
}

const ZERO = "0x0000000000000000000000000000000000000000";

type Read = { kind: "collateral" | "debt"; account: number; reserve: AaveReserve };

/** Accounts per `eth_call` (about 5 external calls each: well under a node's call gas cap). */
const USERS_PER_CALL = 100;

/** `null` for an account without debt. Every reserve the bitmap marks is read, listed or not. */
export async function readAavePositions(
  parameters: ReadAavePositionsParameters,
): Promise<Map<string, PositionData | null>> {
  return decodeAavePositions(parameters, await readAavePositionWords(parameters));
}

/** The reader's answer for `accounts`: it depends on the state's token tables only (`reserveTables`). */
export interface AavePositionWords {
  readonly tables: ReserveTables;
  readonly words: readonly bigint[];
}

/** The reserves' token tables by reserve id, as the reader takes them. */
export function reserveTables(state: AaveMarketState): ReserveTables {
  const byId: Array<AaveReserve | undefined> = [];
  for (const reserve of state.reserves) byId[reserve.id] = reserve;
  return {
    aTokens: [...byId].map((r) => r?.aToken ?? ZERO),
    variableDebtTokens: [...byId].map((r) => r?.variableDebtToken ?? ZERO),
    stableDebtTokens: [...byId].map((r) => r?.stableDebtToken ?? ZERO),
  };
}

/** True when words read with `a`'s tables decode against a state with tables `b`. */
export function sameReserveTables(a: ReserveTables, b: ReserveTables): boolean {
  const same = (x: readonly Address[], y: readonly Address[]) =>
    x.length === y.length && x.every((address, i) => address === y[i]);
  return (
    same(a.aTokens, b.aTokens) &&
    same(a.variableDebtTokens, b.variableDebtTokens) &&
    same(a.stableDebtTokens, b.stableDebtTokens)
  );
}

/** One round: the reader's words for `accounts` (no market parameter is needed to read them). */
export async function readAavePositionWords(
  parameters: ReadAavePositionsParameters,
): Promise<AavePositionWords> {
  const tables = reserveTables(parameters.state);
  const users = parameters.accounts.map(callAddress);
  const chunks: Address[][] = [];
  for (let i = 0; i < users.length; i += USERS_PER_CALL) chunks.push(users.slice(i, i + USERS_PER_CALL));
  const words = (await Promise.all(chunks.map((chunk) => readChunk(parameters, tables, chunk)))).flat();
  return { tables, words };
}

/**
 * The positions in `answer`, judged by `parameters.state` (thresholds, eModes, decimals), which
 * must have the token tables the words were read with.
 */
export function decodeAavePositions(
  parameters: ReadAavePositionsParameters,
  answer: AavePositionWords,
): Map<string, PositionData | null> {
  const { state, accounts } = parameters;
  const { words } = answer;
  const byId: Array<AaveReserve | undefined> = [];
  for (const reserve of state.reserves) byId[reserve.id] = reserve;
  const reads: Read[] = [];
  const amounts: bigint[] = [];
  const emodeOf: number[] = [];
  let n = 0;
  // The contract's order, replayed: bitmap, eMode, then per marked reserve its balances.
  accounts.forEach((_, a) => {
    const bitmap = words[n++]!;
    const emode = Number(words[n++]!);
    emodeOf.push(emode);
    const category = state.emodes.get(emode);
    for (let id = 0; id < byId.length && bitmap >> BigInt(2 * id) !== 0n; id++) {
      const reserve = byId[id];
      if (reserve === undefined) continue;
      if (isBorrowing(bitmap, id)) {
        reads.push({ kind: "debt", account: a, reserve });
        amounts.push(words[n++]!);
        if (reserve.stableDebtToken !== ZERO) {
          reads.push({ kind: "debt", account: a, reserve });
          amounts.push(words[n++]!);
        }
      }
      if (isUsingAsCollateral(bitmap, id)) {
        const balance = words[n++]!;
        const threshold = category?.reserveIds.has(id)
          ? category.liquidationThresholdBps
          : reserve.configuration.liquidationThresholdBps;
        // The snapshot's Aave collateral: enabled by the user and with a liquidation threshold above 0.
        if (threshold > 0) {
          reads.push({ kind: "collateral", account: a, reserve });
          amounts.push(balance);
        }
      }
    }
  });
  if (n !== words.length)
    throw new TransientError(`aave-v3: positions reader answered ${words.length} words, ${n} expected`);
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
    const amount = amounts[i]!;
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

export type ReserveTables = Record<"aTokens" | "variableDebtTokens" | "stableDebtTokens", Address[]>;

/**
 * The reader's words for `users`, in one `eth_call` of its creation code. A call that fails in a
 * way a smaller one may not (out of gas on a node with a low cap, a timeout) is split in halves
 * down to one user; one user's failure, and any other fault, is a TransientError.
 */
async function readChunk(
  parameters: ReadAavePositionsParameters,
  tables: ReserveTables,
  users: Address[],
): Promise<bigint[]> {
  try {
    const { data } = await parameters.client.call({
      data: encodeDeployData({
        abi: aavePositionsReaderAbi,
        bytecode: aavePositionsReaderBytecode,
        args: [parameters.pool, tables.aTokens, tables.variableDebtTokens, tables.stableDebtTokens, users],
      }),
      blockNumber: parameters.blockNumber,
    });
    if (data === undefined) throw new Error("empty answer");
    const [words] = decodeAbiParameters([{ type: "uint256[]" }], data);
    return [...words];
  } catch (error) {
    // Split what a smaller call may pass (out of gas, a revert, too large or slow); rethrow the rest.
    const fault = classifyRpcError(error);
    const splits = fault === "fatal" || fault === "range" || fault === "timeout";
    if (!splits) throw new TransientError(`aave-v3: positions read failed (${fault})`, { cause: error });
    if (users.length === 1)
      throw new TransientError(`aave-v3: positions of ${users[0]} could not be read`, { cause: error });
    const half = Math.ceil(users.length / 2);
    const [first, second] = await Promise.all([
      readChunk(parameters, tables, users.slice(0, half)),
      readChunk(parameters, tables, users.slice(half)),
    ]);
    return [...first, ...second];
  }
}
