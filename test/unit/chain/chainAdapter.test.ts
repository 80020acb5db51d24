import { type Address, createWalletClient, http } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertChainId } from "../../../src/adapters/chain/assertChainId.js";
import { classifyRpcError } from "../../../src/adapters/chain/classifyRpcError.js";
import { createChainClient } from "../../../src/adapters/chain/createChainClient.js";
import { getLogsAdaptive } from "../../../src/adapters/chain/getLogsAdaptive.js";
import { readContractsBatched } from "../../../src/adapters/chain/readContractsBatched.js";
import { redactUrls } from "../../../src/adapters/chain/redactUrls.js";
import { chainSchema } from "../../../src/config/schema/chains.js";
import { UserInputError } from "../../../src/core/errors.js";
import { type AnvilInstance, startAnvil } from "../../../src/devnet/anvil/startAnvil.js";
import { pingEmitterAbi, pingEmitterCreationCode } from "../../helpers/pingEmitter.js";
import { type RpcFaultProxy, startRpcFaultProxy } from "../../helpers/rpcFaultProxy.js";

const PINGS = 120;
let anvil: AnvilInstance;
let emitter: Address;
/** Ground truth read straight from anvil in one request (a ping lost under load must not fail the test). */
let expectedLogs = 0;
let expectedHead = 0n;

const chainConfig = (rpc: string[], overrides: Record<string, unknown> = {}) =>
  chainSchema.parse({
    id: 31337,
    name: "test",
    rpc,
    retries: 3,
    retryDelayMs: 20,
    timeoutMs: 2_000,
    ...overrides,
  });

beforeAll(async () => {
  // A 30M gas limit, like mainnet and anvil's default call gas cap: a spinning call runs out of gas quickly.
  anvil = await startAnvil({ gasLimit: 30_000_000n });
  const wallet = createWalletClient({ transport: http(anvil.rpcUrl) });
  const client = createChainClient(chainConfig([anvil.rpcUrl]));
  const [account] = await wallet.getAddresses();
  const hash = await wallet.deployContract({
    abi: pingEmitterAbi,
    bytecode: pingEmitterCreationCode(),
    account: account!,
    chain: null,
  });
  emitter = (await client.waitForTransactionReceipt({ hash })).contractAddress!;
  // One ping per transaction (automine): about one log per block.
  let last: `0x${string}` = hash;
  for (let i = 0; i < PINGS; i++)
    last = await wallet.writeContract({
      address: emitter,
      abi: pingEmitterAbi,
      functionName: "ping",
      account: account!,
      chain: null,
    });
  await client.waitForTransactionReceipt({ hash: last });
  expectedLogs = (await client.getLogs({ address: emitter, event: pingEmitterAbi[0], fromBlock: 0n })).length;
  expectedHead = await client.getBlockNumber({ cacheTime: 0 });
  expect(expectedLogs).toBeGreaterThan(PINGS - 5);
});

afterAll(async () => {
  await anvil?.stop();
});

/** Every ping from block 0 to `toBlock`, in adaptive ranges from 1,000 blocks. */
function scanPings(
  client: ReturnType<typeof createChainClient>,
  toBlock: bigint,
  onRange?: Parameters<typeof getLogsAdaptive>[0]["onRange"],
) {
  return getLogsAdaptive({
    client,
    address: emitter,
    events: [pingEmitterAbi[0]],
    fromBlock: 0n,
    toBlock,
    maxRange: 1_000,
    ...(onRange === undefined ? {} : { onRange }),
  });
}

describe("getLogsAdaptive", () => {
  let proxy: RpcFaultProxy;
  afterAll(async () => proxy?.close());

  it("halves the range on a provider range error, grows it on success, and loses no log", async () => {
    const maxSpan = 16n;
    proxy = await startRpcFaultProxy(anvil.rpcUrl, (request) => {
      if (request.method !== "eth_getLogs") return { kind: "pass" };
      const [filter] = request.params as [{ fromBlock: string; toBlock: string }];
      const span = BigInt(filter.toBlock) - BigInt(filter.fromBlock) + 1n;
      return span > maxSpan
        ? { kind: "rpcError", code: -32005, message: `query exceeds max block range ${maxSpan}` }
        : { kind: "pass" };
    });
    const client = createChainClient(chainConfig([proxy.url]));
    const head = await client.getBlockNumber();
    const spans: bigint[] = [];
    const result = await scanPings(client, head, (r) => spans.push(r.toBlock - r.fromBlock + 1n));
    expect(result.logs).toHaveLength(expectedLogs);
    const blocks = result.logs.map((log) => log.blockNumber);
    expect(blocks).toEqual([...blocks].sort((a, b) => (a! < b! ? -1 : 1)));
    // No log twice (under load anvil may put two pings in one block).
    expect(new Set(result.logs.map((log) => `${log.blockNumber}:${log.logIndex}`)).size).toBe(expectedLogs);
    expect(spans.every((span) => span <= maxSpan)).toBe(true);
    // 1000 → 500 → 250 → 125 → 62 → 31 → 15: six halvings before the first success.
    expect(result.halvings).toBeGreaterThanOrEqual(6);
    // After a success the range doubles (15 → 30 > 16 fails again), so some requests are wasted but bounded.
    expect(result.requests).toBeLessThan(60);
  });

  it("halves the range when an answer exceeds the client's response body cap, and loses no log", async () => {
    // A cap of 8 KB stands for viem's 10 MB default: a wide range's logs do not fit in one answer.
    const client = createChainClient(chainConfig([anvil.rpcUrl]), {
      transport: http(anvil.rpcUrl, { maxResponseBodySize: 8_192, retryCount: 0 }),
    });
    const result = await scanPings(client, expectedHead);
    expect(result.logs).toHaveLength(expectedLogs);
    expect(new Set(result.logs.map((log) => `${log.blockNumber}:${log.logIndex}`)).size).toBe(expectedLogs);
    expect(result.halvings).toBeGreaterThanOrEqual(1);
  });
});

describe("chain client faults", () => {
  it("waits out a 429 with Retry-After and then succeeds", async () => {
    const proxy = await startRpcFaultProxy(anvil.rpcUrl, (request, seen) =>
      request.method === "eth_blockNumber" && seen === 0
        ? { kind: "status429", retryAfterSeconds: 1 }
        : { kind: "pass" },
    );
    try {
      const client = createChainClient(chainConfig([proxy.url]));
      const started = performance.now();
      const head = await client.getBlockNumber({ cacheTime: 0 });
      expect(head).toBe(expectedHead);
      expect(performance.now() - started).toBeGreaterThanOrEqual(950);
      expect(proxy.injected).toEqual(["eth_blockNumber:status429"]);
    } finally {
      await proxy.close();
    }
  });

  it("retries a timed-out request", async () => {
    const proxy = await startRpcFaultProxy(anvil.rpcUrl, (request, seen) =>
      request.method === "eth_chainId" && seen === 0 ? { kind: "delay", ms: 1_500 } : { kind: "pass" },
    );
    try {
      const client = createChainClient(chainConfig([proxy.url], { timeoutMs: 300 }));
      expect(await client.getChainId()).toBe(31337);
      expect(proxy.counts.get("eth_chainId")).toBeGreaterThanOrEqual(2);
    } finally {
      await proxy.close();
    }
  });

  it("falls back to the next URL when the first one is down", async () => {
    const dead = await startRpcFaultProxy(anvil.rpcUrl, () => ({ kind: "status500" }));
    try {
      const client = createChainClient(chainConfig([dead.url, anvil.rpcUrl]));
      expect(await client.getChainId()).toBe(31337);
      expect(dead.counts.get("eth_chainId")).toBeGreaterThanOrEqual(1);
    } finally {
      await dead.close();
    }
  });

  it("sends a tick's requests as HTTP batches of at most rpcBatchSize, one each without it", async () => {
    const proxy = await startRpcFaultProxy(anvil.rpcUrl);
    try {
      const reads = (client: ReturnType<typeof createChainClient>) =>
        Promise.all([
          client.getBlockNumber({ cacheTime: 0 }),
          client.getChainId(),
          client.getBalance({ address: emitter }),
        ]);
      const [head, chainId] = await reads(createChainClient(chainConfig([proxy.url])));
      expect(proxy.perHttpRequest).toEqual([1, 1, 1]);
      proxy.perHttpRequest.length = 0;
      const batched = await reads(createChainClient(chainConfig([proxy.url], { rpcBatchSize: 2 })));
      expect(batched.slice(0, 2)).toEqual([head, chainId]);
      // Two HTTP requests, a batch of two and the third alone; sent side by side, they may reach
      // the proxy in either order.
      expect([...proxy.perHttpRequest].sort((a, b) => a - b)).toEqual([1, 2]);
    } finally {
      await proxy.close();
    }
  });

  it("speaks WebSocket for ws:// URLs", async () => {
    const client = createChainClient(chainConfig([anvil.rpcUrl.replace("http://", "ws://")]), {
      rank: false,
    });
    expect(await client.getChainId()).toBe(31337);
    expect(await client.getBlockNumber({ cacheTime: 0 })).toBe(expectedHead);
  });

  it("refuses a chain whose id differs from the config", async () => {
    const client = createChainClient(chainSchema.parse({ id: 1, name: "ethereum", rpc: [anvil.rpcUrl] }));
    const error = await assertChainId(client, 1, "ethereum").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserInputError);
    expect((error as Error).message).toBe(
      "chain ethereum: the RPC serves chain id 31337, the config says 1; fix chains[].id or rpc",
    );
  });

  it("classifies real transport errors", async () => {
    const proxy = await startRpcFaultProxy(anvil.rpcUrl, () => ({ kind: "status429", retryAfterSeconds: 0 }));
    try {
      const client = createChainClient(chainConfig([proxy.url], { retries: 0 }));
      expect(classifyRpcError(await client.getChainId().catch((e: unknown) => e))).toBe("rate-limit");
      proxy.setDecide(() => ({ kind: "delay", ms: 800 }));
      const slow = createChainClient(chainConfig([proxy.url], { retries: 0, timeoutMs: 100 }));
      expect(classifyRpcError(await slow.getChainId().catch((e: unknown) => e))).toBe("timeout");
      proxy.setDecide(() => ({ kind: "malformed" }));
      expect(classifyRpcError(await client.getChainId().catch((e: unknown) => e))).toBe("transient");
      proxy.setDecide(() => ({
        kind: "rpcError",
        code: -32000,
        message: "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range",
      }));
      expect(classifyRpcError(await client.getBlockNumber({ cacheTime: 0 }).catch((e: unknown) => e))).toBe(
        "range",
      );
    } finally {
      await proxy.close();
    }
    const client = createChainClient(chainConfig([anvil.rpcUrl]));
    const revert = await client
      .readContract({ address: emitter, abi: pingEmitterAbi, functionName: "spin" })
      .catch((e: unknown) => e);
    expect(["fatal", "transient"]).toContain(classifyRpcError(revert));
  });

  it("redacts URLs (they may carry API keys)", () => {
    expect(redactUrls("HTTP request failed. URL: https://eth.example/v2/s3cr3t Details: 429")).toBe(
      "HTTP request failed. URL: https://… Details: 429",
    );
  });
});

describe("readContractsBatched", () => {
  it("detects the calls an out-of-gas chunk left empty and re-reads them", async () => {
    const client = createChainClient(chainConfig([anvil.rpcUrl]));
    // A spinning call burns the chunk's gas: the answers after it come back empty under allowFailure.
    const calls = [
      { address: emitter, abi: pingEmitterAbi, functionName: "answer" as const },
      { address: emitter, abi: pingEmitterAbi, functionName: "spin" as const },
      ...Array.from({ length: 6 }, () => ({
        address: emitter,
        abi: pingEmitterAbi,
        functionName: "answer" as const,
      })),
    ];
    const stats = { chunks: 0, splits: 0, singleCalls: 0 };
    const results = await readContractsBatched({ client, calls, batchBytes: 4_096 }, stats);
    expect(results.map((r) => r.status)).toEqual(["success", "failure", ...Array(6).fill("success")]);
    expect(
      results.filter((r) => r.status === "success").map((r) => (r as { result: unknown }).result),
    ).toEqual(Array(7).fill(42n));
    expect(stats.splits).toBeGreaterThan(0);
  });
});
