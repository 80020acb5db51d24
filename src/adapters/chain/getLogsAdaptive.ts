/**
 * `eth_getLogs` over a long block span in adaptive ranges: a provider range or size error halves
 * the range and retries the same start; each success grows the range (×2) up to `maxRange`.
 */
import type { AbiEvent, Address, Log } from "viem";
import { TransientError } from "../../core/errors.js";
import { classifyRpcError } from "./classifyRpcError.js";
import type { ChainClient } from "./createChainClient.js";
import { redactUrls } from "./redactUrls.js";

export interface GetLogsAdaptiveParameters {
  readonly client: ChainClient;
  readonly address: Address | readonly Address[];
  readonly events: readonly AbiEvent[];
  readonly fromBlock: bigint;
  readonly toBlock: bigint;
  /** Largest range tried (blocks, inclusive span). */
  readonly maxRange: number;
  /** First range tried; defaults to `maxRange`. */
  readonly initialRange?: number;
  /** Called after each successful range, for progress lines. */
  readonly onRange?: (range: { fromBlock: bigint; toBlock: bigint; logs: number }) => void;
  readonly signal?: AbortSignal;
}

export interface GetLogsAdaptiveReturnType {
  readonly logs: Log[];
  /** The range that last succeeded: a caller can start the next scan with it. */
  readonly range: number;
  readonly requests: number;
  readonly halvings: number;
}

/** Returns every matching log in block order, decoded against `events` (unknown topics are dropped by viem). */
export async function getLogsAdaptive(
  parameters: GetLogsAdaptiveParameters,
): Promise<GetLogsAdaptiveReturnType> {
  const { client, fromBlock, toBlock, maxRange } = parameters;
  let range = BigInt(Math.max(1, Math.min(parameters.initialRange ?? maxRange, maxRange)));
  const logs: Log[] = [];
  let requests = 0;
  let halvings = 0;
  let start = fromBlock;
  while (start <= toBlock) {
    parameters.signal?.throwIfAborted();
    const end = start + range - 1n < toBlock ? start + range - 1n : toBlock;
    requests++;
    try {
      const chunk = await client.getLogs({
        address: parameters.address as Address | Address[],
        events: parameters.events as AbiEvent[],
        fromBlock: start,
        toBlock: end,
        strict: true,
      });
      logs.push(...(chunk as Log[]));
      parameters.onRange?.({ fromBlock: start, toBlock: end, logs: chunk.length });
      start = end + 1n;
      range = range * 2n > BigInt(maxRange) ? BigInt(maxRange) : range * 2n;
    } catch (error) {
      const fault = classifyRpcError(error);
      if (fault === "range" && end > start) {
        halvings++;
        range = (end - start + 1n) / 2n;
        continue;
      }
      const reason = error instanceof Error ? redactUrls(error.message.split("\n")[0] ?? "") : String(error);
      throw new TransientError(`eth_getLogs ${start}-${end} failed (${fault}): ${reason}`, { cause: error });
    }
  }
  return { logs, range: Number(range), requests, halvings };
}
