import { FatalError } from "../../core/errors.js";

export interface RpcRequest {
  method: string;
  params: readonly unknown[];
}

interface RpcResponse {
  id: number;
  result?: unknown;
  error?: { code: number; message: string };
}

/**
 * Sends requests as JSON-RPC batches of `batchSize` (anvil runs a batch's members concurrently, so
 * every transaction must carry its own nonce and gas). Returns results in request order; throws on
 * the first error with its method and index.
 */
export async function rpcBatch(
  rpcUrl: string,
  requests: readonly RpcRequest[],
  batchSize = 2000,
): Promise<unknown[]> {
  const results: unknown[] = new Array(requests.length);
  for (let start = 0; start < requests.length; start += batchSize) {
    const chunk = requests.slice(start, start + batchSize);
    const body = JSON.stringify(
      chunk.map((request, offset) => ({
        jsonrpc: "2.0",
        id: start + offset,
        method: request.method,
        params: request.params,
      })),
    );
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    if (!response.ok) throw new FatalError(`devnet RPC batch failed with HTTP ${response.status}`);
    const answers = (await response.json()) as RpcResponse[];
    for (const answer of answers) {
      if (answer.error !== undefined) {
        const method = requests[answer.id]?.method ?? "?";
        throw new FatalError(`devnet RPC ${method} #${answer.id} failed: ${answer.error.message}`);
      }
      results[answer.id] = answer.result;
    }
  }
  return results;
}
