/**
 * Label vocabularies and bucket constants of the monitor's metrics. Every label value is bounded:
 * protocols, markets, assets and scenarios come from the config; RPC methods, queues and sink
 * kinds from these lists. No account address is ever a label.
 */
export const METRIC_PREFIX = "cascade_monitor_";

export const RPC_METHODS = [
  "eth_call",
  "eth_getLogs",
  "eth_blockNumber",
  "eth_getBlockByNumber",
  "eth_chainId",
  "eth_getStorageAt",
  "other",
] as const;
export type RpcMethod = (typeof RPC_METHODS)[number];

/** Maps any JSON-RPC method name onto the bounded list (unknown names become `other`). */
export function rpcMethodLabel(method: string): RpcMethod {
  return (RPC_METHODS as readonly string[]).includes(method) ? (method as RpcMethod) : "other";
}

export const QUEUE_NAMES = ["sync", "simulate", "task", "var", "evaluate", "notify"] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export const LIQUIDATION_MODES = ["direct", "cascade"] as const;
export type LiquidationMode = (typeof LIQUIDATION_MODES)[number];

export const CRITICAL_SHOCK_KINDS = ["cascade", "bad_debt"] as const;
export type CriticalShockKind = (typeof CRITICAL_SHOCK_KINDS)[number];

/** RPC latency: a local node answers in ~1 ms, a remote provider in 50-500 ms, a slow getLogs in seconds. */
export const RPC_DURATION_BUCKETS_SECONDS = [
  0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const;
/** Job and scenario durations: from a 1k-position simulation (~1 ms) to a 1M-position curve (~15 s). */
export const JOB_DURATION_BUCKETS_SECONDS = [
  0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
] as const;
/** Block-to-alert latency. */
export const PIPELINE_LATENCY_BUCKETS_SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60] as const;

/** Reorg depth: mainnet reorgs are 1-2 blocks; L2s and testnets occasionally go deeper. */
export const REORG_DEPTH_BUCKETS_BLOCKS = [1, 2, 3, 5, 10, 20, 64] as const;

/** A shock as a stable label value: `-0.1` → `"-0.10"`, `-0.125` → `"-0.125"`. */
export function shockLabel(shock: number): string {
  const fixed = shock.toFixed(4).replace(/0{1,2}$/, "");
  return fixed === "-0.00" || fixed === "0.00" ? "0.00" : fixed;
}

/** VaR measures (report field → `measure` label) and statistics (`statistic` label). */
export const VAR_MEASURE_LABELS = [
  ["badDebtUsd", "bad_debt"],
  ["liquidatedDebtUsd", "liquidated_debt"],
  ["strandedDebtUsd", "stranded_debt"],
] as const;
export const VAR_STATISTICS = ["mean", "p95", "p99", "es99"] as const;

/** Positions per market and scenario in the drivers metric (ranks 1 … 3; never an account label). */
export const DRIVER_RANKS_PER_MARKET = 3;
