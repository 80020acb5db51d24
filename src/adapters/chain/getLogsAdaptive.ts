/**
 * `eth_getLogs` over a long block span in adaptive ranges: a provider range or size error halves
 * the range and retries the same start; each success grows the range (×2) up to `maxRange`.
 */
import { type AbiEvent, type Address, encodeEventTopics, type Log, numberToHex, type RpcLog } from "viem";
import { TransientError } from "../../core/errors.js";
import { classifyRpcError } from "./classifyRpcError.js";
import type { ChainClient } from "./createChainClient.js";
import { decodeEventLogs } from "./decodeEventLogs.js";
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
  // Any of the events' signatures in topic 0; the logs come back raw and are decoded below.
  const selectors = parameters.events.map((event) => encodeEventTopics({ abi: [event] })[0]!);
  while (start <= toBlock) {
    parameters.signal?.throwIfAborted();
    const end = start + range - 1n < toBlock ? start + range - 1n : toBlock;
    requests++;
    try {
      const raw = (await client.request({
        method: "eth_getLogs",
        params: [
          {
            address: parameters.address as Address | Address[],
            topics: [selectors],
            fromBlock: numberToHex(start),
            toBlock: numberToHex(end),
          },
        ],
      })) as RpcLog[];
      const chunk = decodeEventLogs(raw, parameters.events);
      logs.push(...chunk);
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
