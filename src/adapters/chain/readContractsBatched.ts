/**
 * Many view calls in multicall3 `aggregate3` chunks. A chunk that fails as a whole, or whose calls
 * come back empty (an out-of-gas chunk under `allowFailure: true` looks exactly like that), is
 * split in halves and retried down to single `eth_call`s, so a result is never silently missing:
 * a call that still fails on its own is reported as failed with its error.
 */
import type { Address, ContractFunctionParameters } from "viem";
import { callAddress } from "./callAddress.js";
import type { ChainClient } from "./createChainClient.js";

export type BatchedCall = ContractFunctionParameters;

export type BatchedResult =
  | { readonly status: "success"; readonly result: unknown }
  | { readonly status: "failure"; readonly error: unknown };

export interface ReadContractsBatchedParameters {
  readonly client: ChainClient;
  readonly calls: readonly BatchedCall[];
  readonly blockNumber?: bigint;
  /** Calldata bytes per aggregate3 chunk. */
  readonly batchBytes: number;
  /** The canonical Multicall3 when deployed; otherwise viem's deployless multicall. */
  readonly multicallAddress?: Address;
  /** Calls per chunk at most (keeps each chunk under the node's call gas cap). */
  readonly maxCallsPerChunk?: number;
  /**
   * Probing getters a contract may lack (`classifyPriceSource`): a failed call is an answer, so
   * a chunk is split only when every call in it failed (the shape of an out-of-gas chunk), not
   * for each expected revert.
   */
  readonly failuresExpected?: boolean;
}

export interface ReadContractsBatchedStats {
  chunks: number;
  splits: number;
  singleCalls: number;
}

/** Results in call order. */
export async function readContractsBatched(
  parameters: ReadContractsBatchedParameters,
  stats: ReadContractsBatchedStats = { chunks: 0, splits: 0, singleCalls: 0 },
): Promise<BatchedResult[]> {
  const { calls } = parameters;
  const maxCalls = parameters.maxCallsPerChunk ?? 400;
  const results: BatchedResult[] = new Array(calls.length);
  const groups: number[][] = [];
  for (let i = 0; i < calls.length; i += maxCalls)
    groups.push(range(i, Math.min(calls.length, i + maxCalls)));
  await Promise.all(groups.map((indices) => readGroup(parameters, indices, results, stats)));
  return results;
}

async function readGroup(
  parameters: ReadContractsBatchedParameters,
  indices: number[],
  results: BatchedResult[],
  stats: ReadContractsBatchedStats,
): Promise<void> {
  const { client, calls, blockNumber } = parameters;
  if (indices.length === 1) {
    const index = indices[0]!;
    const call = calls[index]!;
    stats.singleCalls++;
    try {
      const result = await client.readContract({
        ...call,
        ...(blockNumber === undefined ? {} : { blockNumber }),
      } as Parameters<ChainClient["readContract"]>[0]);
      results[index] = { status: "success", result };
    } catch (error) {
      results[index] = { status: "failure", error };
    }
    return;
  }
  stats.chunks++;
  const out = await client.multicall({
    // Lower-case targets: no checksum to verify per call (see callAddress).
    contracts: indices.map((i) => {
      const call = calls[i]!;
      return { ...call, address: callAddress(call.address) };
    }),
    allowFailure: true,
    batchSize: parameters.batchBytes,
    ...(parameters.multicallAddress === undefined
      ? { deployless: true }
      : { multicallAddress: parameters.multicallAddress }),
    ...(blockNumber === undefined ? {} : { blockNumber }),
  });
  const failed: number[] = [];
  out.forEach((item, j) => {
    const index = indices[j]!;
    if (item.status === "success") results[index] = { status: "success", result: item.result };
    else failed.push(index);
  });
  if (failed.length === 0) return;
  if (parameters.failuresExpected === true && failed.length < indices.length) {
    for (const index of failed) results[index] = { status: "failure", error: undefined };
    return;
  }
  stats.splits++;
  const half = Math.ceil(failed.length / 2);
  const parts = failed.length === 1 ? [failed] : [failed.slice(0, half), failed.slice(half)];
  // A retry with fewer calls per chunk: an out-of-gas or oversized chunk succeeds when smaller.
  await Promise.all(
    parts.map((part) =>
      readGroup(
        { ...parameters, batchBytes: Math.max(1, Math.floor(parameters.batchBytes / 2)) },
        part,
        results,
        stats,
      ),
    ),
  );
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;
}
