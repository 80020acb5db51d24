/**
 * One viem public client per configured chain: an `http` transport per URL (timeout, retries with
 * exponential backoff that honour Retry-After, JSON-RPC batches when `rpcBatchSize` is set), joined
 * by `fallback` ranked by latency and stability when there are several URLs.
 */
import {
  type Chain,
  createPublicClient,
  defineChain,
  fallback,
  http,
  type PublicClient,
  type Transport,
  webSocket,
} from "viem";
import type { ChainConfig } from "../../config/schema/chains.js";

export type ChainClient = PublicClient<Transport, Chain>;

export interface CreateChainClientOptions {
  /** Replaces the URLs (tests inject a custom transport). */
  readonly transport?: Transport;
  /**
   * Rank several URLs by latency and stability in the background (long-running processes only:
   * the ranking timer keeps the event loop alive, so a one-shot command turns it off).
   */
  readonly rank?: boolean;
}

/** Builds the client for one configured chain. */
export function createChainClient(config: ChainConfig, options: CreateChainClientOptions = {}): ChainClient {
  const { transport, rank = true } = options;
  const chain = defineChain({
    id: config.id,
    name: config.name,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: config.rpc } },
  });
  const perRequest = {
    timeout: config.timeoutMs,
    retryCount: config.retries,
    retryDelay: config.retryDelayMs,
  };
  // A step's parallel reads in one HTTP request: one connection's overhead per round, not per read.
  const batch = config.rpcBatchSize === undefined ? undefined : { batch: { batchSize: config.rpcBatchSize } };
  const perUrl = config.rpc.map((url) =>
    /^wss?:/i.test(url) ? webSocket(url, perRequest) : http(url, { ...perRequest, ...batch }),
  );
  const chosen =
    transport ??
    (perUrl.length === 1
      ? perUrl[0]!
      : // A whole-chain retry on top: the first request may race the first ranking pass.
        fallback(perUrl, {
          rank: rank ? { interval: 10_000, sampleCount: 5 } : false,
          retryCount: Math.max(1, config.retries),
          retryDelay: config.retryDelayMs,
        }));
  return createPublicClient({ chain, transport: chosen, pollingInterval: config.pollingIntervalMs });
}

interface ClosableTransport {
  readonly getRpcClient?: () => Promise<{ close: () => void }>;
  readonly transports?: readonly ClosableTransport[];
}

/** Closes the WebSocket connections of a client (an open socket keeps a one-shot command alive). */
export async function closeChainClient(client: ChainClient): Promise<void> {
  const close = async (transport: ClosableTransport): Promise<void> => {
    if (transport.getRpcClient !== undefined) (await transport.getRpcClient()).close();
    for (const inner of transport.transports ?? []) await close(inner);
  };
  await close(client.transport as unknown as ClosableTransport);
}
