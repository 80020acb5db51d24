/**
 * Counts and times every JSON-RPC request a chain client sends: a viem `custom` transport around a
 * client's own `request` (which keeps its http/fallback transport, retries and ranking).
 */
import { type Chain, custom, type PublicClient, type Transport } from "viem";
import { rpcMethodLabel } from "./metricLabels.js";
import type { MonitorMetrics } from "./monitorMetrics.js";

type RpcMetrics = Pick<MonitorMetrics, "rpcRequests" | "rpcErrors" | "rpcDurationSeconds">;

/** A transport that forwards to `client.request` and records `cascade_monitor_rpc_*` for `chainId`. */
export function instrumentedTransport(
  client: PublicClient<Transport, Chain>,
  chainId: number,
  metrics: RpcMetrics,
) {
  const chain_id = String(chainId);
  return custom(
    {
      async request({ method, params }: { method: string; params?: unknown }) {
        const labels = { chain_id, method: rpcMethodLabel(method) };
        metrics.rpcRequests.inc(labels);
        const started = performance.now();
        try {
          return await (client.request as (args: { method: string; params?: unknown }) => Promise<unknown>)({
            method,
            params,
          });
        } catch (error) {
          metrics.rpcErrors.inc(labels);
          throw error;
        } finally {
          metrics.rpcDurationSeconds.observe(labels, (performance.now() - started) / 1000);
        }
      },
    },
    // The wrapped client already retries; retrying here too would multiply attempts.
    { retryCount: 0 },
  );
}
