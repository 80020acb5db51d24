/**
 * One `eth_getLogs` for several log sources at once, each source's logs decoded as
 * `getLogsAdaptive` decodes them: from a block to the node's `latest` (`getLogsToLatest`, sent
 * beside the request for the head, so a one-block step needs no second round trip for its logs;
 * the caller keeps the logs at or below the head it got and checks them against it, `blocks`
 * saying which blocks the node answered for), or those of one block named by its hash
 * (`getLogsOfBlock`, EIP-234: the node answers for that very block or fails).
 */
import {
  type AbiEvent,
  type Address,
  encodeEventTopics,
  type Hash,
  type Hex,
  hexToBigInt,
  type Log,
  numberToHex,
  type RpcLog,
} from "viem";
import type { ChainClient } from "./createChainClient.js";
import { decodeEventLogs } from "./decodeEventLogs.js";

export interface LogSource {
  readonly address: readonly Address[];
  readonly events: readonly AbiEvent[];
}

export interface GetLogsToLatestReturnType {
  /** Per source, in the order given: the logs of its addresses and events, in block order. */
  readonly logs: Log[][];
  /** Number and hash of the block of every log the node returned (null while pending). */
  readonly blocks: ReadonlyArray<{ readonly number: bigint | null; readonly hash: Hash | null }>;
}

export async function getLogsToLatest(parameters: {
  readonly client: ChainClient;
  readonly sources: readonly LogSource[];
  readonly fromBlock: bigint;
}): Promise<GetLogsToLatestReturnType> {
  const { logs, raw } = await getLogsOfSources(parameters.client, parameters.sources, {
    fromBlock: numberToHex(parameters.fromBlock),
    toBlock: "latest",
  });
  const blocks = raw.map((log) => ({
    number: log.blockNumber === null ? null : hexToBigInt(log.blockNumber),
    hash: log.blockHash,
  }));
  return { logs, blocks };
}

/** Per source, in the order given, the logs of the block whose hash is `blockHash`. */
export async function getLogsOfBlock(parameters: {
  readonly client: ChainClient;
  readonly sources: readonly LogSource[];
  readonly blockHash: Hash;
}): Promise<Log[][]> {
  const { logs } = await getLogsOfSources(parameters.client, parameters.sources, {
    blockHash: parameters.blockHash,
  });
  return logs;
}

async function getLogsOfSources(
  client: ChainClient,
  sources: readonly LogSource[],
  range: { readonly fromBlock: Hex; readonly toBlock: "latest" } | { readonly blockHash: Hash },
): Promise<{ readonly logs: Log[][]; readonly raw: readonly RpcLog[] }> {
  const selectorsOf = sources.map((s) => new Set(s.events.map((e) => encodeEventTopics({ abi: [e] })[0]!)));
  const addressesOf = sources.map((s) => new Set(s.address.map((a) => a.toLowerCase())));
  const raw = (await client.request({
    method: "eth_getLogs",
    params: [
      {
        address: [...new Set(addressesOf.flatMap((set) => [...set]))] as Address[],
        topics: [[...new Set(selectorsOf.flatMap((set) => [...set]))]],
        ...range,
      },
    ],
  })) as RpcLog[];
  const logs = sources.map((source, i) =>
    decodeEventLogs(
      raw.filter(
        (log) =>
          addressesOf[i]!.has(log.address.toLowerCase()) &&
          log.topics[0] !== undefined &&
          selectorsOf[i]!.has(log.topics[0]),
      ),
      source.events,
    ),
  );
  return { logs, raw };
}
