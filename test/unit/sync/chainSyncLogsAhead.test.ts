import {
  type AbiEvent,
  type Address,
  encodeAbiParameters,
  encodeEventTopics,
  getAddress,
  type Hex,
  hexToBigInt,
  keccak256,
  type Log,
  numberToHex,
  parseAbiItem,
  toHex,
} from "viem";
import { describe, expect, it } from "vitest";
import type { IndexerState, ProtocolIndexer } from "../../../src/adapters/protocols/ProtocolIndexer.js";
import { ChainSync } from "../../../src/app/sync/ChainSync.js";
import { memoryCheckpointStore } from "../../../src/app/sync/memoryCheckpointStore.js";
import { chainSchema } from "../../../src/config/schema/chains.js";
import { scriptedClient, scriptedRpc } from "../../helpers/scriptedRpc.js";

const POOL: Address = "0x00000000000000000000000000000000000000b0";
const borrow = parseAbiItem("event Borrow(address indexed account, uint256 amount)") as AbiEvent;

interface Block {
  readonly number: bigint;
  readonly hash: Hex;
  readonly parentHash: Hex;
  /** Borrows in this block: account and amount. */
  readonly borrows: ReadonlyArray<readonly [Address, bigint]>;
}

/** A scripted chain: blocks by height, a fork being a different hash at a height. */
function chain() {
  const blocks: Block[] = [];
  const mine = (borrows: Block["borrows"], fork = "a"): void => {
    const number = BigInt(blocks.length);
    const parentHash = blocks.at(-1)?.hash ?? (`0x${"0".repeat(64)}` as Hex);
    blocks.push({ number, hash: keccak256(toHex(`${fork}:${number}:${parentHash}`)), parentHash, borrows });
  };
  const rpcBlock = (b: Block) => ({
    number: numberToHex(b.number),
    hash: b.hash,
    parentHash: b.parentHash,
    timestamp: numberToHex(b.number * 12n),
    transactions: [],
  });
  const logsOf = (b: Block) =>
    b.borrows.map(([account, amount], i) => ({
      address: POOL,
      topics: encodeEventTopics({ abi: [borrow], eventName: "Borrow", args: { account } } as never),
      data: encodeAbiParameters([{ type: "uint256" }], [amount]),
      blockNumber: numberToHex(b.number),
      blockHash: b.hash,
      transactionHash: keccak256(toHex(`tx:${b.hash}:${i}`)),
      transactionIndex: numberToHex(i),
      logIndex: numberToHex(i),
      removed: false,
    }));
  /** Runs once, when the next eth_getLogs to `latest` arrives (before it is answered). */
  let beforeLogsToLatest: (() => void) | undefined;
  /** When set, eth_getLogs to `latest` answers as of this height (a node not yet at the head). */
  let lagAt: bigint | undefined;
  /** Whether eth_getLogs takes a `blockHash` filter (EIP-234). */
  let answersByHash = true;
  const requests: string[] = [];
  const extra = (method: string, params: unknown[]): unknown => {
    if (method === "eth_getBlockByNumber") {
      requests.push(`block ${params[0]}`);
      const tag = params[0] as string;
      const b = tag === "latest" ? blocks.at(-1) : blocks[Number(hexToBigInt(tag as Hex))];
      return b === undefined ? null : rpcBlock(b);
    }
    if (method === "eth_getLogs") {
      if ("blockHash" in (params[0] as object)) {
        const { blockHash } = params[0] as { blockHash: Hex };
        requests.push("logs hash");
        if (!answersByHash)
          throw Object.assign(new Error("invalid argument 0: unknown field blockHash"), { code: -32602 });
        const b = blocks.find((block) => block.hash === blockHash);
        if (b === undefined) throw new Error(`unknown block ${blockHash}`);
        return logsOf(b);
      }
      const filter = params[0] as { fromBlock: Hex; toBlock: Hex | "latest" };
      requests.push(`logs ${filter.toBlock === "latest" ? "latest" : "numbers"}`);
      if (filter.toBlock === "latest") {
        const hook = beforeLogsToLatest;
        beforeLogsToLatest = undefined;
        hook?.();
      }
      const to =
        filter.toBlock === "latest" ? (lagAt ?? BigInt(blocks.length - 1)) : hexToBigInt(filter.toBlock);
      return blocks
        .filter((b) => b.number >= hexToBigInt(filter.fromBlock) && b.number <= to)
        .flatMap(logsOf);
    }
    return undefined;
  };
  return {
    blocks,
    mine,
    /** Replaces the blocks from `height` on by a fork. */
    reorg(height: number, forks: ReadonlyArray<Block["borrows"]>): void {
      blocks.length = height;
      for (const borrows of forks) mine(borrows, "b");
    },
    requests,
    rpc: scriptedRpc({}, extra),
    onLogsToLatest(hook: () => void) {
      beforeLogsToLatest = hook;
    },
    lag(at: bigint | undefined) {
      lagAt = at;
    },
    refuseBlockHash() {
      answersByHash = false;
    },
  };
}

/** Sums each account's borrows from the logs it ingests, as discovery state (so rollbacks replay it). */
function borrowTally(): ProtocolIndexer & { readonly totals: () => Record<string, bigint> } {
  let totals = new Map<string, bigint>();
  return {
    protocol: "aave-v3",
    label: "tally",
    chainId: 1,
    fromBlock: 0n,
    marketIds: () => ["aave-v3:1:tally"],
    logSources: () => ({ address: [POOL], events: [borrow] }),
    ingest(logs: readonly Log[]) {
      const touched = new Set<string>();
      for (const log of logs) {
        const { account, amount } = (log as Log & { args: { account: Address; amount: bigint } }).args;
        totals.set(account, (totals.get(account) ?? 0n) + amount);
        touched.add(account);
      }
      return { touched, marketsChanged: false };
    },
    keys: () => [...totals.keys()],
    readMarkets: async () => ({ markets: [], prices: [], decimals: new Map(), unknownTokens: [] }),
    readPositions: async () => new Map(),
    exportState: (): IndexerState => ({
      keys: [...totals.keys()],
      extra: { totals: [...totals].map(([a, v]) => [a, v.toString()]) },
    }),
    importState(state: IndexerState) {
      totals = new Map(((state.extra?.totals ?? []) as [string, string][]).map(([a, v]) => [a, BigInt(v)]));
    },
    totals: () => Object.fromEntries(totals),
  };
}

/** The keys of each positions read the sync asks `indexer` for, in order. */
function recordPositionReads(indexer: ProtocolIndexer): string[][] {
  const reads: string[][] = [];
  const read = indexer.readPositions;
  indexer.readPositions = (keys, blockNumber) => {
    reads.push([...keys]);
    return read(keys, blockNumber);
  };
  return reads;
}

const ALICE = getAddress("0x000000000000000000000000000000000000a11c");
const BOB = getAddress("0x0000000000000000000000000000000000000b0b");

async function started() {
  const node = chain();
  for (let i = 0; i < 4; i++) node.mine([[ALICE, 1n]]);
  const indexer = borrowTally();
  const sync = new ChainSync({
    chain: chainSchema.parse({ id: 1, name: "ethereum", rpc: ["http://127.0.0.1:1"], confirmations: 2 }),
    client: scriptedClient(node.rpc),
    indexers: [indexer],
    assets: [],
    checkpoints: memoryCheckpointStore(),
    retryBaseDelayMs: 1,
  });
  await sync.start();
  node.requests.length = 0;
  return { node, indexer, sync };
}

describe("ChainSync: a block's logs asked for beside its head", () => {
  it("folds a one-block step in from the logs asked beside the head, with no second log request", async () => {
    const { node, indexer, sync } = await started();
    node.mine([
      [ALICE, 10n],
      [BOB, 5n],
    ]);
    await sync.step();
    expect(indexer.totals()).toEqual({ [ALICE]: 14n, [BOB]: 5n });
    expect(node.requests.filter((r) => r.startsWith("logs"))).toEqual(["logs latest"]);
  });

  it("gives the indexers the head's timestamp from its header: no other header read in a step", async () => {
    const { node, indexer, sync } = await started();
    const seen: Array<readonly [bigint, bigint | undefined]> = [];
    const read = indexer.readMarkets;
    indexer.readMarkets = (blockNumber, blockTimestamp) => {
      seen.push([blockNumber, blockTimestamp]);
      return read(blockNumber, blockTimestamp);
    };
    node.mine([[ALICE, 10n]]);
    await sync.step();
    // The scripted node stamps block n at n * 12 seconds.
    expect(seen).toEqual([[4n, 48n]]);
    expect(node.requests.filter((r) => r.startsWith("block"))).toEqual(["block latest"]);
  });

  it("leaves the logs beyond the head (the head moved between the two requests) to the next step, counted once", async () => {
    const { node, indexer, sync } = await started();
    node.mine([[ALICE, 10n]]);
    node.onLogsToLatest(() => node.mine([[BOB, 7n]]));
    expect((await sync.step()).headBlock).toBe(4n);
    expect(indexer.totals()).toEqual({ [ALICE]: 14n });
    expect((await sync.step()).headBlock).toBe(5n);
    expect(indexer.totals()).toEqual({ [ALICE]: 14n, [BOB]: 7n });
    await sync.step();
    expect(indexer.totals()).toEqual({ [ALICE]: 14n, [BOB]: 7n });
  });

  it("falls back when a reorg comes between the head and the logs: the new fork's events only", async () => {
    const { node, indexer, sync } = await started();
    node.mine([[ALICE, 10n]]);
    node.onLogsToLatest(() => node.reorg(4, [[[BOB, 3n]]]));
    await sync.step();
    expect(indexer.totals()).toEqual({ [ALICE]: 4n, [BOB]: 3n });
    expect(node.requests).toContain("logs numbers");
    await sync.step();
    expect(indexer.totals()).toEqual({ [ALICE]: 4n, [BOB]: 3n });
  });

  it("asks by hash when the logs were answered before the node had the head's block: nothing lost, the touched position read", async () => {
    const { node, indexer, sync } = await started();
    const reads = recordPositionReads(indexer);
    node.mine([[ALICE, 10n]]);
    node.lag(3n);
    const step = await sync.step();
    node.lag(undefined);
    expect(indexer.totals()).toEqual({ [ALICE]: 14n });
    expect(node.requests.filter((r) => r.startsWith("logs"))).toEqual(["logs latest", "logs hash"]);
    // The block's reads went out before its log was known; the position it touched in one more round.
    expect(reads).toEqual([[], [ALICE]]);
    expect(step.touched).toBe(1);
  });

  it("reads a head without logs of the indexers beside its logs asked by hash: two round trips, one round of reads", async () => {
    const { node, indexer, sync } = await started();
    const reads = recordPositionReads(indexer);
    node.mine([]);
    const step = await sync.step();
    expect(step).toMatchObject({ headBlock: 4n, newBlocks: 1, touched: 0 });
    expect(node.requests.filter((r) => r.startsWith("logs"))).toEqual(["logs latest", "logs hash"]);
    expect(reads).toEqual([[]]);
    // The block is in the window: the next one builds on it, and a reorg of it is seen.
    node.mine([[BOB, 2n]]);
    await sync.step();
    expect(indexer.totals()).toEqual({ [ALICE]: 4n, [BOB]: 2n });
    node.reorg(4, [[[BOB, 9n]], []]);
    expect((await sync.step()).reorgDepth).toBe(2);
    expect(indexer.totals()).toEqual({ [ALICE]: 4n, [BOB]: 9n });
  });

  it("asks a quiet head's logs by number, checked against its header, from a node that refuses the hash filter, and stops asking by hash", async () => {
    const { node, indexer, sync } = await started();
    node.refuseBlockHash();
    node.mine([[ALICE, 10n]]);
    node.lag(3n);
    await sync.step();
    node.lag(undefined);
    expect(indexer.totals()).toEqual({ [ALICE]: 14n });
    expect(node.requests.filter((r) => r.startsWith("logs"))).toEqual([
      "logs latest",
      "logs hash",
      "logs numbers",
    ]);
    node.requests.length = 0;
    node.mine([]);
    await sync.step();
    expect(node.requests.filter((r) => r.startsWith("logs"))).toEqual(["logs latest", "logs numbers"]);
  });

  it("rolls back a block folded in from the logs asked beside the head when a later head orphans it", async () => {
    const { node, indexer, sync } = await started();
    node.mine([[ALICE, 10n]]);
    await sync.step();
    node.reorg(4, [[[BOB, 2n]], []]);
    expect((await sync.step()).reorgDepth).toBe(1);
    expect(indexer.totals()).toEqual({ [ALICE]: 4n, [BOB]: 2n });
  });
});

describe("ChainSync: checkpoints while following the chain", () => {
  it("writes one every 32 final blocks and the newest on flush; a restart from it has the same discovery state", async () => {
    const node = chain();
    for (let i = 0; i < 4; i++) node.mine([[ALICE, 1n]]);
    const store = memoryCheckpointStore();
    const written: number[] = [];
    const checkpoints = {
      load: store.load,
      save: async (checkpoint: Parameters<typeof store.save>[0]) => {
        written.push(Number(checkpoint.blockNumber));
        await store.save(checkpoint);
      },
    };
    const follow = (indexer: ReturnType<typeof borrowTally>) =>
      new ChainSync({
        chain: chainSchema.parse({ id: 1, name: "ethereum", rpc: ["http://127.0.0.1:1"], confirmations: 2 }),
        client: scriptedClient(node.rpc),
        indexers: [indexer],
        assets: [],
        checkpoints,
        retryBaseDelayMs: 1,
      });
    const indexer = borrowTally();
    const sync = follow(indexer);
    await sync.start();
    expect(written).toEqual([1]);
    // A borrow every third block: final blocks with logs leave a window with and without logs.
    for (let i = 0; i < 40; i++) {
      node.mine(i % 3 === 0 ? [[i % 2 === 0 ? ALICE : BOB, BigInt(i + 1)]] : []);
      await sync.step();
    }
    expect(written).toEqual([1, 33]);
    await sync.flushCheckpoint();
    expect(written).toEqual([1, 33, 41]);
    await sync.flushCheckpoint();
    expect(written).toEqual([1, 33, 41]);

    const restarted = borrowTally();
    await follow(restarted).start();
    expect(restarted.totals()).toEqual(indexer.totals());
    expect(Object.keys(restarted.totals())).toEqual([ALICE, BOB]);
  });
});
