/**
 * Sorts an RPC failure into what the indexer should do about it. Provider wording differs, so the
 * range errors are matched on the phrases the common providers use (Alchemy, Infura, QuickNode,
 * Ankr, geth, erigon, reth, anvil) plus JSON-RPC code -32005 (limit exceeded).
 */
export type RpcFault =
  /** The getLogs range or response was too large (the provider's limit or the client's body cap): halve the range. */
  | "range"
  /** 429 / rate limited: wait (Retry-After) and retry. */
  | "rate-limit"
  /** The request took too long: retry, maybe on another transport. */
  | "timeout"
  /** The node no longer holds that block's state (pruned, or the head moved on): read at the new head. */
  | "pruned"
  /** Any other failure that may pass on its own (5xx, reset connection, malformed reply). */
  | "transient"
  /** Retrying cannot help: a revert, an unknown method, invalid params. */
  | "fatal";

const PRUNED_PHRASES = [
  "block height is",
  "blockoutofrange",
  "header not found",
  "missing trie node",
  "state is not available",
  "historical state",
  "state histories",
];

const RANGE_PHRASES = [
  "block range",
  "range is too large",
  "range too large",
  "too many blocks",
  "query returned more than",
  "more than 10000 results",
  "log response size exceeded",
  "response size exceeded",
  "response is too big",
  "exceed maximum block range",
  "exceeds max results",
  "max results",
  "limit exceeded",
  "query timeout exceeded",
  "range limit",
  "ranges over",
  "is limited to",
];

interface ErrorLike {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly status?: unknown;
  readonly message?: unknown;
  readonly details?: unknown;
  readonly shortMessage?: unknown;
  readonly cause?: unknown;
}

/** Walks the cause chain and returns the first classification that is not "transient". */
export function classifyRpcError(error: unknown): RpcFault {
  let verdict: RpcFault = "transient";
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== null && typeof current === "object"; depth++) {
    const one = classifyOne(current as ErrorLike);
    if (one !== "transient") {
      verdict = one;
      break;
    }
    current = (current as ErrorLike).cause;
  }
  return verdict;
}

function classifyOne(error: ErrorLike): RpcFault {
  const text = [error.message, error.details, error.shortMessage]
    .filter((part): part is string => typeof part === "string")
    .join(" ")
    .toLowerCase();
  const name = typeof error.name === "string" ? error.name : "";
  if (PRUNED_PHRASES.some((phrase) => text.includes(phrase))) return "pruned";
  // viem's own cap on a response body (10 MB by default): a smaller range answers in less.
  if (
    error.code === -32005 ||
    name === "ResponseBodyTooLargeError" ||
    RANGE_PHRASES.some((phrase) => text.includes(phrase))
  )
    return "range";
  if (
    error.status === 429 ||
    error.code === 429 ||
    text.includes("too many requests") ||
    text.includes("rate limit")
  )
    return "rate-limit";
  if (name === "TimeoutError" || text.includes("timed out") || text.includes("took too long"))
    return "timeout";
  if (
    name === "ContractFunctionRevertedError" ||
    name === "ContractFunctionZeroDataError" ||
    name === "MethodNotFoundRpcError" ||
    name === "MethodNotSupportedRpcError" ||
    name === "InvalidParamsRpcError" ||
    name === "ChainMismatchError" ||
    error.code === -32601 ||
    error.code === -32602 ||
    text.includes("execution reverted")
  )
    return "fatal";
  return "transient";
}
