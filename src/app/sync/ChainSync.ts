/**
 * Keeps one chain's positions current. Cold start: scan logs from each indexer's deployment block
 * (or the checkpoint) with adaptive ranges, then read every market and position at the head.
 * Live: per new head, fetch the new blocks' logs, re-read only the positions they touched, refresh
 * markets and prices. Blocks within `confirmations` of the head form the reorg window: when a
 * parent hash no longer matches, the window is rolled back to the common ancestor and the orphaned
 * blocks' positions are re-read; a reorg deeper than the window stops the chain with a FatalError.
 */
import type { Address, Hash, Log } from "viem";
import { classifyRpcError } from "../../adapters/chain/classifyRpcError.js";
import type { ChainClient } from "../../adapters/chain/createChainClient.js";
import { getLogsAdaptive } from "../../adapters/chain/getLogsAdaptive.js";
import {
  type GetLogsToLatestReturnType,
  getLogsOfBlock,
  getLogsToLatest,
} from "../../adapters/chain/getLogsToLatest.js";
import { redactUrls } from "../../adapters/chain/redactUrls.js";
import type { PoolReading } from "../../adapters/pools/PoolReading.js";
import { readChainPools } from "../../adapters/pools/readChainPools.js";
import type {
  BlockReading,
  IndexerState,
  MarketsReading,
  ProtocolIndexer,
} from "../../adapters/protocols/ProtocolIndexer.js";
import type { AssetConfig } from "../../config/schema/assets.js";
import type { ChainConfig } from "../../config/schema/chains.js";
import { FatalError } from "../../core/errors.js";
import type { PositionData } from "../../core/snapshot/schema.js";
import { positionKeyText } from "../../core/snapshot/snapshotChanges.js";
import type { CheckpointStore } from "./CheckpointStore.js";
import { type BlockRecord, findCommonAncestor, splitFinal, tipOf } from "./reorgWindow.js";
import { retryTransient } from "./retryTransient.js";
import { sameDocumentText } from "./sameDocumentText.js";

export interface ChainSyncOptions {
  readonly chain: ChainConfig;
  readonly client: ChainClient;
  readonly indexers: readonly ProtocolIndexer[];
  readonly assets: readonly AssetConfig[];
  readonly checkpoints: CheckpointStore;
  readonly multicallAddress?: Address;
  /** A progress line with structured fields (`chain`, `block`, `indexer`, `reorgDepth`, …). */
  readonly log?: (line: string, fields?: Readonly<Record<string, unknown>>) => void;
  readonly signal?: AbortSignal;
  /** Retry attempts of a whole step on transient faults. */
  readonly attempts?: number;
  readonly retryBaseDelayMs?: number;
}

/** Everything this chain keeps per indexer, in one place. */
interface IndexerSlot {
  readonly indexer: ProtocolIndexer;
  /** Current positions by key (no entry: no debt). */
  readonly positions: Map<string, PositionData>;
  /** Keys whose re-read failed or is due: read again at the next step. */
  readonly pending: Set<string>;
  /** Discovery state at the finalized block (the window's logs are replayed on top of it). */
  finalizedState: IndexerState;
  /** The last markets reading (kept while the indexer is stale). */
  reading: MarketsReading | undefined;
}

export interface ChainSyncStepResult {
  readonly headBlock: bigint;
  readonly newBlocks: number;
  readonly touched: number;
  readonly reorgDepth: number;
  readonly stale: readonly string[];
}

export interface ChainSyncView {
  readonly chainId: number;
  readonly blockNumber: bigint;
  readonly readings: readonly MarketsReading[];
  readonly pools: readonly PoolReading[];
  readonly staleMarkets: readonly string[];
}

export class ChainSync {
  private readonly options: ChainSyncOptions;
  private window: BlockRecord[] = [];
  private finalized: { number: bigint; hash: Hash } | undefined;
  private head = -1n;
  /** False once the node refused `eth_getLogs` by block hash (`stepQuietBlock`). */
  private logsByHash = true;
  /** The head's timestamp (unix seconds), from its header: given to every read at the head. */
  private headTimestamp: bigint | undefined;
  private pools: PoolReading[] = [];
  private readonly slots: IndexerSlot[];
  private readonly stale = new Set<string>();
  private stoppedBy: FatalError | undefined;
  private lastFullRead = -1n;
  /** The final block of the last checkpoint written. */
  private checkpointedAt = -1n;
  /** Uniswap V3 pools found through their factory, by asset id. */
  private readonly foundPools = new Map<string, Address>();
  /** Uniswap V2 pair tokens' decimals, by lowercase address (read once). */
  private readonly pairDecimals = new Map<string, number>();
  /** Positions set (or gone: null) since the last `drainChanges`, by `positionKeyText`. */
  private changed = new Map<string, PositionData | null>();

  constructor(options: ChainSyncOptions) {
    this.options = options;
    this.slots = options.indexers.map((indexer) => ({
      indexer,
      positions: new Map(),
      pending: new Set(),
      finalizedState: indexer.exportState(),
      reading: undefined,
    }));
  }

  get headBlock(): bigint {
    return this.head;
  }

  /** Why this chain stopped (a reorg deeper than the window), or undefined while it runs. */
  get stopped(): FatalError | undefined {
    return this.stoppedBy;
  }

  /**
   * Stops following this chain: its last data stays in snapshots, every market listed stale.
   * Called by the caller that decided the error is fatal for this chain only.
   */
  stop(error: FatalError): void {
    this.stoppedBy = error;
    for (const indexer of this.options.indexers) for (const id of indexer.marketIds()) this.stale.add(id);
  }

  /**
   * One log line: `event` is a stable name (the structured logger's message), `line` the human
   * text (what the CLI prints), `fields` the facts (`block`, `market`, `indexer`, ...); `chain` and
   * `chainId` are added, and `level` says warn or error when it is not info.
   */
  private say(event: string, line: string, fields: Readonly<Record<string, unknown>> = {}): void {
    this.options.log?.(`chain ${this.options.chain.name}: ${line}`, {
      event,
      chain: this.options.chain.name,
      chainId: this.options.chain.id,
      ...fields,
    });
  }

  private retry<T>(work: () => Promise<T>): Promise<T> {
    return retryTransient(work, {
      attempts: this.options.attempts ?? 5,
      baseDelayMs: this.options.retryBaseDelayMs ?? 250,
      ...(this.options.signal === undefined ? {} : { signal: this.options.signal }),
      onRetry: (attempt, error) =>
        this.say("rpc retry", `retry ${attempt} after ${error instanceof Error ? error.name : "error"}`, {
          attempt,
          error: error instanceof Error ? error.name : "error",
          level: "warn",
        }),
    });
  }

  /** Cold start: backfill to the head (or from the checkpoint) and read every position. */
  async start(): Promise<ChainSyncStepResult> {
    const { client, chain, indexers } = this.options;
    const headBlock = await this.retry(() => client.getBlock({ blockTag: "latest" }));
    const head = headBlock.number;
    const finalTarget = head - BigInt(chain.confirmations) > 0n ? head - BigInt(chain.confirmations) : 0n;
    const checkpoint = await this.options.checkpoints.load(chain.id);
    let resumeFrom: bigint | undefined;
    if (checkpoint !== undefined && BigInt(checkpoint.blockNumber) <= finalTarget) {
      const onChain = await this.retry(() =>
        client.getBlock({ blockNumber: BigInt(checkpoint.blockNumber) }),
      );
      if (onChain.hash === checkpoint.blockHash) {
        indexers.forEach((indexer) => {
          const saved = checkpoint.indexers[indexer.label];
          if (saved !== undefined) indexer.importState(saved);
        });
        resumeFrom = BigInt(checkpoint.blockNumber) + 1n;
        this.say("resuming from checkpoint", `resuming from checkpoint at block ${checkpoint.blockNumber}`, {
          block: Number(checkpoint.blockNumber),
        });
      } else
        this.say(
          "checkpoint reorganised away",
          `checkpoint block ${checkpoint.blockNumber} was reorganised away; indexing from deployment`,
          { block: Number(checkpoint.blockNumber), level: "warn" },
        );
    }
    // Finalized part: adaptive scans, one per indexer from its own deployment block.
    // Indexers scan in parallel: their contracts and ranges are independent.
    await Promise.all(
      indexers.map(async (indexer) => {
        let from =
          resumeFrom !== undefined && resumeFrom > indexer.fromBlock ? resumeFrom : indexer.fromBlock;
        if (resumeFrom === undefined && indexer.discover !== undefined) {
          try {
            const found = await indexer.discover();
            const through = found.throughBlock === undefined ? "" : ` through block ${found.throughBlock}`;
            this.say(
              "accounts from indexed source",
              `${indexer.label}: ${found.added} accounts from its indexed source${through}`,
              {
                indexer: indexer.label,
                accounts: found.added,
                ...(found.throughBlock === undefined ? {} : { block: Number(found.throughBlock) }),
              },
            );
            if (
              found.throughBlock !== undefined &&
              found.throughBlock >= from &&
              found.throughBlock <= finalTarget
            )
              from = found.throughBlock + 1n;
          } catch (error) {
            // The indexed source only speeds discovery: without it the log scan covers everything.
            this.say(
              "indexed source failed",
              `${indexer.label}: indexed source failed (${describeError(error)}); scanning logs instead`,
              { indexer: indexer.label, error: describeError(error), level: "warn" },
            );
          }
        }
        if (from > finalTarget) return;
        const started = performance.now();
        // Every position is read after this scan: only the logs that discover one are needed.
        const sources = indexer.logSources();
        const { logs, requests } = await this.retry(() =>
          getLogsAdaptive({
            client,
            address: sources.address,
            events: indexer.discoveryEvents?.() ?? sources.events,
            fromBlock: from,
            toBlock: finalTarget,
            maxRange: chain.maxBlockRange,
            ...(this.options.signal === undefined ? {} : { signal: this.options.signal }),
          }),
        );
        indexer.ingest(logs);
        const ms = Math.round(performance.now() - started);
        this.say(
          "logs scanned",
          `${indexer.label}: ${logs.length} logs in blocks ${from}-${finalTarget} (${requests} requests, ${ms} ms)`,
          {
            indexer: indexer.label,
            logs: logs.length,
            fromBlock: Number(from),
            block: Number(finalTarget),
            requests,
            durationMs: ms,
          },
        );
      }),
    );
    const finalizedBlock =
      finalTarget === head
        ? headBlock
        : await this.retry(() => client.getBlock({ blockNumber: finalTarget }));
    this.finalized = { number: finalTarget, hash: finalizedBlock.hash };
    for (const slot of this.slots) slot.finalizedState = slot.indexer.exportState();
    await this.saveCheckpoint();
    // Unfinalized part: block by block, so each block's hash can be checked later.
    this.window = [];
    this.head = finalTarget;
    if (head > finalTarget) await this.appendBlocks(finalTarget + 1n, head);
    this.head = head;
    this.headTimestamp = headBlock.timestamp;
    for (let moves = 0; ; moves++) {
      try {
        await this.readAll(this.head);
        break;
      } catch (error) {
        const moved = asChainMoved(error);
        if (!(moved instanceof ChainMovedError) || moves >= MAX_CHAIN_MOVES) throw moved;
        // Every key is read again at the new head, after the blocks in between are folded in.
        const latest = await this.retry(() => client.getBlock({ blockTag: "latest" }));
        this.say(
          "head moved during first read",
          `head moved to ${latest.number} during the first read; reading there`,
          {
            block: Number(latest.number),
          },
        );
        await this.appendBlocks(this.head + 1n, latest.number);
        await this.advanceFinalized(latest.number);
        this.head = latest.number;
        this.headTimestamp = latest.timestamp;
      }
    }
    return {
      headBlock: this.head,
      newBlocks: Number(head - finalTarget),
      touched: this.positionCount(),
      reorgDepth: 0,
      stale: [...this.stale],
    };
  }

  /** Follows the chain to its current head (one poll); a head that moves during the poll is followed. */
  async step(): Promise<ChainSyncStepResult> {
    for (let moves = 0; ; moves++) {
      try {
        return await this.stepOnce();
      } catch (error) {
        const moved = asChainMoved(error);
        if (!(moved instanceof ChainMovedError) || moves >= MAX_CHAIN_MOVES) throw moved;
        this.say("head moved during step", "the head moved during a step; following it");
      }
    }
  }

  private async stepOnce(): Promise<ChainSyncStepResult> {
    const { client } = this.options;
    if (this.finalized === undefined) throw new FatalError("ChainSync.step before start");
    const tip = tipOf(this.window, this.finalized);
    // The logs after the tip are asked for beside the head: a one-block step then needs no
    // second round trip (`logsOfNextBlock` decides whether they can be used).
    const [latest, ahead] = await Promise.all([
      this.retry(() => client.getBlock({ blockTag: "latest" })),
      this.logsAhead(tip.number + 1n),
    ]);
    let reorgDepth = 0;
    const orphanedTouched = this.slots.map(() => new Set<string>());
    if (latest.number === tip.number && latest.hash === tip.hash) {
      // Same head: nothing new, unless a failed read left keys pending or markets stale.
      const retry = this.slots.some((slot) => slot.pending.size > 0) || this.stale.size > 0;
      const count = retry ? await this.refresh(this.head) : 0;
      return { headBlock: this.head, newBlocks: 0, touched: count, reorgDepth: 0, stale: [...this.stale] };
    }
    // A head below the final block is no reorg: the node was reset or rewound (a restarted devnet,
    // a snapshot revert, a resynced node). The blocks indexed as final are gone; stop loudly.
    const final = this.finalized;
    if (latest.number < final.number)
      throw new FatalError(
        `chain ${this.options.chain.name}: the head went back to block ${latest.number}, below the final block ${final.number} already indexed (node reset or rewound?); stopping this chain, restart the monitor once the node is right`,
        { details: { head: Number(latest.number), finalBlock: Number(final.number) } },
      );
    const search = await findCommonAncestor(
      this.window,
      this.finalized,
      latest.number,
      // The head names its own hash and its parent's: the usual one-block step fetches nothing more.
      async (n) =>
        n === latest.number
          ? latest.hash
          : n === latest.number - 1n
            ? latest.parentHash
            : (await this.retry(() => client.getBlock({ blockNumber: n }))).hash,
    );
    if (search.kind === "too-deep")
      throw new FatalError(
        `chain ${this.options.chain.name}: reorg deeper than ${this.options.chain.confirmations} confirmations (block ${search.finalized.number} changed); stopping this chain`,
      );
    const ancestor = search.ancestor;
    if (search.kind === "reorg") {
      reorgDepth = search.orphaned.length;
      this.say("reorg", `reorg of ${reorgDepth} block(s) back to ${ancestor}`, {
        level: "warn",
        reorgDepth,
        ancestorBlock: Number(ancestor),
        block: Number(latest.number),
      });
      for (const record of search.orphaned)
        record.logs.forEach((logs, i) => {
          for (const key of this.touchedKeys(i, logs)) orphanedTouched[i]!.add(key);
        });
      this.window = this.window.filter((r) => r.number <= ancestor);
      this.rebuildDiscovery();
    }
    // A long gap (a restart, a slow poll): scan the part that is already final with adaptive
    // ranges instead of fetching every header; only the last `confirmations` blocks go one by one.
    const finalTarget = latest.number - BigInt(this.options.chain.confirmations);
    let appendFrom = ancestor + 1n;
    if (finalTarget - ancestor > FAST_FORWARD_BLOCKS) {
      await this.advanceFinalized(latest.number);
      await this.fastForward(ancestor + 1n, finalTarget);
      appendFrom = finalTarget + 1n;
    }
    const oneBlock = search.kind === "unchanged" && appendFrom === tip.number + 1n;
    const next = oneBlock ? logsOfNextBlock(ahead, tip, latest) : undefined;
    if (oneBlock && next === undefined && this.logsByHash && quietNextBlock(ahead, tip, latest)) {
      const count = await this.stepQuietBlock(latest);
      return {
        headBlock: latest.number,
        newBlocks: 1,
        touched: count,
        reorgDepth: 0,
        stale: [...this.stale],
      };
    }
    const touched =
      next === undefined
        ? await this.appendBlocks(appendFrom, latest.number, latest)
        : this.appendBlock(latest, next);
    // Pending until read: a read that fails (or a head that moves) keeps them for the next try.
    this.slots.forEach((slot, i) => {
      for (const key of touched[i]!) slot.pending.add(key);
      for (const key of orphanedTouched[i]!) slot.pending.add(key);
    });
    await this.advanceFinalized(latest.number);
    this.moveHead(latest);
    const count = await this.refresh(latest.number);
    return {
      headBlock: latest.number,
      newBlocks: Number(latest.number - ancestor),
      touched: count,
      reorgDepth,
      stale: [...this.stale],
    };
  }

  /** The head is `header` now; every position is due for a read when a full re-read is. */
  private moveHead(header: BlockHeader & { readonly timestamp: bigint }): void {
    this.head = header.number;
    this.headTimestamp = header.timestamp;
    // Balances that grow by interest change without an event: read every position now and then.
    if (header.number - this.lastFullRead >= BigInt(this.options.chain.fullRefreshBlocks)) {
      for (const slot of this.slots) for (const key of slot.indexer.keys()) slot.pending.add(key);
      this.lastFullRead = header.number;
    }
  }

  /**
   * One new block on the tip whose logs, asked for beside its head, held none at its height: an
   * answer given before the node had the block looks the same, so the block's own logs are asked
   * for by its hash, beside the block's reads, on the guess that it has none (prices move in
   * blocks without a lending event: such a block then takes two round trips, not three). Logs
   * found after all are folded in and what they touched is read in one more round. A node that
   * cannot answer by hash has the block's logs asked by number, checked against the header.
   * Returns the number of positions read.
   */
  private async stepQuietBlock(latest: BlockHeader & { readonly timestamp: bigint }): Promise<number> {
    const { client, indexers } = this.options;
    this.moveHead(latest);
    const [count, pinned] = await Promise.all([
      this.refresh(latest.number),
      // Not retried: a failure costs the one round trip the usual path takes anyway.
      getLogsOfBlock({ client, sources: indexers.map((i) => i.logSources()), blockHash: latest.hash }).catch(
        (error: unknown) => {
          // A node that refuses the filter (invalid params, unknown method) is not asked so again.
          if (classifyRpcError(error) === "fatal") this.logsByHash = false;
          return undefined;
        },
      ),
    ]);
    const touched =
      pinned === undefined
        ? await this.appendBlocks(latest.number, latest.number, latest)
        : this.appendBlock(latest, pinned);
    await this.advanceFinalized(latest.number);
    if (touched.every((keys) => keys.size === 0)) return count;
    return count + (await this.refresh(latest.number));
  }

  /** The chain's current markets and prices (`positions()` gives its positions). */
  view(): ChainSyncView {
    return {
      chainId: this.options.chain.id,
      blockNumber: this.head,
      readings: this.slots.flatMap((slot) => (slot.reading === undefined ? [] : [slot.reading])),
      pools: this.pools,
      staleMarkets: [...this.stale],
    };
  }

  /** Every current position (the view's markets hold them). */
  positions(): PositionData[] {
    return this.slots.flatMap((slot) => [...slot.positions.values()]);
  }

  /**
   * The positions whose content changed (null: gone) since the last call, by `positionKeyText`:
   * a re-read position equal to the one held keeps its object and is not listed.
   */
  drainChanges(): ReadonlyMap<string, PositionData | null> {
    const changed = this.changed;
    this.changed = new Map();
    return changed;
  }

  /**
   * Folds a positions read into a slot: `null` removes the position (no debt left); a re-read
   * equal to the position held (the same document text) keeps the object held, unlisted.
   */
  private merge(slot: IndexerSlot, read: Map<string, PositionData | null>): void {
    for (const [key, position] of read) {
      const held = slot.positions.get(key);
      if (position === null) {
        if (held === undefined) continue;
        slot.positions.delete(key);
        this.changed.set(positionKeyText(held), null);
      } else if (held === undefined || !sameDocumentText(held, position)) {
        slot.positions.set(key, position);
        this.changed.set(positionKeyText(position), position);
      }
    }
  }

  private positionCount(): number {
    return this.slots.reduce((n, slot) => n + slot.positions.size, 0);
  }

  /** Each indexer's logs in blocks from..to (adaptive scan, retried on transient errors), in indexer order. */
  private fetchLogsPerIndexer(from: bigint, to: bigint): Promise<Log[][]> {
    const { client, indexers, chain } = this.options;
    return this.retry(() =>
      Promise.all(
        indexers.map(
          async (indexer) =>
            (
              await getLogsAdaptive({
                client,
                ...indexer.logSources(),
                fromBlock: from,
                toBlock: to,
                maxRange: chain.maxBlockRange,
              })
            ).logs,
        ),
      ),
    );
  }

  /** Folds final blocks from..to in by adaptive log scans and moves the finalized point to `to`. */
  private async fastForward(from: bigint, to: bigint): Promise<void> {
    const { client } = this.options;
    this.say(
      "catching up by log scan",
      `catching up ${to - from + 1n} final blocks ${from}-${to} by log scan`,
      {
        fromBlock: Number(from),
        block: Number(to),
      },
    );
    const logsPerIndexer = await this.fetchLogsPerIndexer(from, to);
    const header = await this.retry(() => client.getBlock({ blockNumber: to }));
    this.slots.forEach((slot, i) => {
      slot.indexer.importState(slot.finalizedState);
      for (const key of slot.indexer.ingest(logsPerIndexer[i]!).touched) slot.pending.add(key);
      slot.finalizedState = slot.indexer.exportState();
    });
    this.window = [];
    this.finalized = { number: to, hash: header.hash };
    await this.saveCheckpoint();
  }

  /**
   * Every indexer's logs from `from` to the node's latest block, in one request; undefined on any
   * failure (no new block yet, a range the node refuses): the step then fetches them as before.
   */
  private logsAhead(from: bigint): Promise<GetLogsToLatestReturnType | undefined> {
    const { client, indexers } = this.options;
    return getLogsToLatest({ client, sources: indexers.map((i) => i.logSources()), fromBlock: from }).catch(
      () => undefined,
    );
  }

  /** Folds in one block whose header and logs are already checked against each other. */
  private appendBlock(header: BlockHeader, logs: Log[][]): Set<string>[] {
    this.window.push({ number: header.number, hash: header.hash, parentHash: header.parentHash, logs });
    return logs.map((list, i) => {
      const touched = new Set(this.options.indexers[i]!.ingest(list).touched);
      for (const key of touched) this.slots[i]!.pending.add(key);
      return touched;
    });
  }

  /** Fetches headers and logs of blocks from..to, ingests them, returns the touched keys per indexer. */
  private async appendBlocks(from: bigint, to: bigint, known?: BlockHeader): Promise<Set<string>[]> {
    const { client, indexers } = this.options;
    const touched = indexers.map(() => new Set<string>());
    if (from > to) return touched;
    const numbers: bigint[] = [];
    for (let n = from; n <= to; n++) numbers.push(n);
    // Headers and logs in one round trip: both are checked against each other below.
    const [headers, logsPerIndexer] = await Promise.all([
      this.retry(() =>
        Promise.all(
          numbers.map((blockNumber) =>
            known?.number === blockNumber
              ? Promise.resolve(known)
              : client.getBlock({ blockNumber }).then((b): BlockHeader => b),
          ),
        ),
      ),
      this.fetchLogsPerIndexer(from, to),
    ]);
    const expectedParent = this.window.at(-1)?.hash ?? this.finalized?.hash;
    if (
      headers[0] !== undefined &&
      expectedParent !== undefined &&
      headers[0].number > 0n &&
      headers[0].parentHash !== expectedParent
    )
      throw new ChainMovedError("a block changed while it was fetched");
    for (const header of headers) {
      const logs = logsPerIndexer.map((all) => all.filter((log) => log.blockNumber === header.number));
      // A log from another fork of this height: the chain moved under us; the next step sorts it out.
      if (logs.some((list) => list.some((log) => log.blockHash !== header.hash)))
        throw new ChainMovedError("a block changed while it was fetched");
      this.window.push({ number: header.number, hash: header.hash, parentHash: header.parentHash, logs });
      logs.forEach((list, i) => {
        const result = indexers[i]!.ingest(list);
        for (const key of result.touched) {
          touched[i]!.add(key);
          this.slots[i]!.pending.add(key);
        }
      });
    }
    return touched;
  }

  private touchedKeys(indexerIndex: number, logs: Log[]): string[] {
    // Replaying a block's logs on the current discovery state names the keys it touched.
    return [...this.options.indexers[indexerIndex]!.ingest(logs).touched];
  }

  /** Discovery = finalized state + the window's logs. */
  private rebuildDiscovery(): void {
    this.slots.forEach((slot, i) => {
      slot.indexer.importState(slot.finalizedState);
      for (const record of this.window) slot.indexer.ingest(record.logs[i]!);
    });
  }

  private async advanceFinalized(head: bigint): Promise<void> {
    const { leaving, staying } = splitFinal(this.window, head - BigInt(this.options.chain.confirmations));
    if (leaving.length === 0) return;
    this.window = staying;
    const last = leaving.at(-1)!;
    this.slots.forEach((slot, i) => {
      // No logs of this indexer leave the window: its finalized state stays as it is.
      if (leaving.every((record) => record.logs[i]!.length === 0)) return;
      // None stay in it: the discovery state (finalized + the window's logs) is the new final one.
      if (staying.every((record) => record.logs[i]!.length === 0)) {
        slot.finalizedState = slot.indexer.exportState();
        return;
      }
      slot.indexer.importState(slot.finalizedState);
      for (const record of leaving) slot.indexer.ingest(record.logs[i]!);
      slot.finalizedState = slot.indexer.exportState();
      for (const record of this.window) slot.indexer.ingest(record.logs[i]!);
    });
    this.finalized = { number: last.number, hash: last.hash };
    // Every block's final state is a valid checkpoint; writing one (every discovered key) each
    // block would sit in the step's path, so it is written every CHECKPOINT_BLOCKS and on close.
    if (this.finalized.number - this.checkpointedAt >= CHECKPOINT_BLOCKS) await this.saveCheckpoint();
  }

  /** Writes the checkpoint of the final block if the last one written is older (on close). */
  async flushCheckpoint(): Promise<void> {
    if (this.finalized !== undefined && this.finalized.number !== this.checkpointedAt)
      await this.saveCheckpoint();
  }

  private async saveCheckpoint(): Promise<void> {
    if (this.finalized === undefined) return;
    this.checkpointedAt = this.finalized.number;
    await this.options.checkpoints.save({
      chainId: this.options.chain.id,
      blockNumber: this.finalized.number.toString(),
      blockHash: this.finalized.hash,
      indexers: Object.fromEntries(this.slots.map((slot) => [slot.indexer.label, slot.finalizedState])),
    });
  }

  private async readAll(blockNumber: bigint): Promise<void> {
    // Each indexer reads its positions as soon as its own markets are read, and the pools are
    // read beside them: no indexer waits for another's markets.
    const [, pools] = await Promise.all([
      Promise.all(this.slots.map((slot) => this.readSlot(slot, blockNumber))),
      this.readPools(blockNumber),
    ]);
    this.pools = pools;
    for (const slot of this.slots) slot.pending.clear();
    this.lastFullRead = blockNumber;
  }

  /** One indexer's markets, then every one of its positions, at `blockNumber`. */
  private async readSlot(slot: IndexerSlot, blockNumber: bigint): Promise<void> {
    slot.reading = await this.retry(() =>
      slot.indexer.readMarkets(blockNumber, this.timestampAt(blockNumber)),
    );
    const started = performance.now();
    const keys = slot.indexer.keys();
    const read = await this.retry(() => slot.indexer.readPositions(keys, blockNumber));
    this.merge(slot, read);
    const ms = Math.round(performance.now() - started);
    this.say(
      "accounts read",
      `${slot.indexer.label}: ${keys.length} accounts read, ${slot.positions.size} with debt (${ms} ms)`,
      {
        indexer: slot.indexer.label,
        block: Number(blockNumber),
        accounts: keys.length,
        positions: slot.positions.size,
        durationMs: ms,
      },
    );
    this.reportReading(slot, blockNumber);
  }

  /** Per block: markets and prices of every indexer, positions the block touched. */
  private async refresh(blockNumber: bigint): Promise<number> {
    let count = 0;
    // The pools are read beside the indexers (settled here, judged after them).
    const pools = this.retry(() => this.readPools(blockNumber)).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    await Promise.all(
      this.slots.map(async (slot) => {
        const keys = new Set(slot.pending);
        try {
          const { reading, positions: read } = await this.readBlock(slot, [...keys], blockNumber);
          slot.reading = reading;
          this.merge(slot, read);
          slot.pending.clear();
          for (const id of slot.indexer.marketIds()) this.stale.delete(id);
          count += keys.size;
        } catch (error) {
          if (error instanceof FatalError) throw error;
          const moved = asChainMoved(error);
          if (moved instanceof ChainMovedError) throw moved;
          // Keep serving the last good data, marked stale; the keys stay pending for the next block.
          for (const id of slot.indexer.marketIds()) this.stale.add(id);
          this.say(
            "market stale",
            `${slot.indexer.label}: stale at block ${blockNumber} (${describeError(error)})`,
            {
              level: "warn",
              markets: slot.indexer.marketIds(),
              error: describeError(error),
              indexer: slot.indexer.label,
              block: Number(blockNumber),
              stale: true,
            },
          );
        }
      }),
    );
    const read = await pools;
    if (read.ok) this.pools = read.value;
    else {
      const { error } = read;
      if (error instanceof FatalError) throw error;
      const moved = asChainMoved(error);
      if (moved instanceof ChainMovedError) throw moved;
      this.say(
        "pool reserves stale",
        `pool reserves stale at block ${blockNumber} (${describeError(error)})`,
        {
          level: "warn",
          error: describeError(error),
          block: Number(blockNumber),
          stale: true,
        },
      );
    }
    return count;
  }

  /** One indexer's markets and `keys`' positions at `blockNumber`, in one go where it offers it. */
  private async readBlock(slot: IndexerSlot, keys: string[], blockNumber: bigint): Promise<BlockReading> {
    const { indexer } = slot;
    const timestamp = this.timestampAt(blockNumber);
    if (indexer.readBlock !== undefined)
      return this.retry(() => indexer.readBlock!(keys, blockNumber, timestamp));
    const reading = await this.retry(() => indexer.readMarkets(blockNumber, timestamp));
    const positions = await this.retry(() => indexer.readPositions(keys, blockNumber));
    return { reading, positions };
  }

  /** The timestamp of `blockNumber` when it is the head whose header this sync holds. */
  private timestampAt(blockNumber: bigint): bigint | undefined {
    return blockNumber === this.head ? this.headTimestamp : undefined;
  }

  /** What a reading could not place or price, after a cold read, as structured log lines. */
  private reportReading(slot: IndexerSlot, blockNumber: bigint): void {
    const reading = slot.reading;
    if (reading === undefined) return;
    for (const u of reading.unpriced ?? [])
      this.say(
        "asset unpriced",
        `${slot.indexer.label}: ${u.asset} in ${u.market} cannot be priced (${u.reason}); positions holding it are excluded`,
        {
          indexer: slot.indexer.label,
          block: Number(blockNumber),
          market: u.market,
          asset: u.asset,
          unpriced: true,
        },
      );
    for (const note of reading.notes ?? [])
      this.say("oracle note", `${slot.indexer.label}: ${note}`, {
        indexer: slot.indexer.label,
        block: Number(blockNumber),
        oracleNote: true,
      });
  }

  private readPools(blockNumber: bigint): Promise<PoolReading[]> {
    return readChainPools({
      found: this.foundPools,
      pairDecimals: this.pairDecimals,
      client: this.options.client,
      chainId: this.options.chain.id,
      assets: this.options.assets,
      blockNumber,
      batchBytes: this.options.chain.multicallBatchBytes,
      ...(this.options.multicallAddress === undefined
        ? {}
        : { multicallAddress: this.options.multicallAddress }),
    });
  }
}

/** What the window keeps of a block header. */
export interface BlockHeader {
  readonly number: bigint;
  readonly hash: Hash;
  readonly parentHash: Hash;
}

/**
 * The logs of `head` among `ahead` (asked for, beside the head, from the block after `tip` to the
 * node's latest), when they can stand for its own fetch: `head` is the one block after `tip` and
 * built on it, every log at or below its height is in it with its hash, and one of them at least
 * shows the node answered for that very block (two requests side by side may reach the node in
 * either order, and an empty answer proves nothing). Logs beyond the head (the node moved on
 * between the two) are left to the next step, which asks from there again. Undefined: fetch the
 * block's logs as every other step does (a reorg between the two, a gap, no log, a failed request).
 */
export function logsOfNextBlock(
  ahead: GetLogsToLatestReturnType | undefined,
  tip: { readonly number: bigint; readonly hash: Hash },
  head: BlockHeader,
): Log[][] | undefined {
  if (ahead === undefined || head.number !== tip.number + 1n || head.parentHash !== tip.hash)
    return undefined;
  let answered = false;
  for (const block of ahead.blocks) {
    if (block.number === null || block.hash === null) return undefined;
    if (block.number > head.number) continue;
    if (block.number !== head.number || block.hash !== head.hash) return undefined;
    answered = true;
  }
  if (!answered) return undefined;
  return ahead.logs.map((logs) =>
    logs.filter((log) => log.blockNumber !== null && log.blockNumber <= head.number),
  );
}

/**
 * True when `head` is the one block after `tip`, built on it, and `ahead` answered without a log
 * at its height or below (none at all, or only logs of later blocks): the answer cannot tell a
 * block without logs from one the node did not have yet (`stepQuietBlock` asks by hash).
 */
export function quietNextBlock(
  ahead: GetLogsToLatestReturnType | undefined,
  tip: { readonly number: bigint; readonly hash: Hash },
  head: BlockHeader,
): boolean {
  if (ahead === undefined || head.number !== tip.number + 1n || head.parentHash !== tip.hash) return false;
  return ahead.blocks.every((block) => block.number !== null && block.number > head.number);
}

/** The chain moved while a step read it (a new head, a pruned block); the step runs again from the new head. */
export class ChainMovedError extends Error {
  override readonly name = "ChainMovedError";
}

const MAX_CHAIN_MOVES = 8;
/**
 * Final blocks between checkpoints written while following the chain: a restart from an older
 * one scans the logs of at most this many blocks more (one `eth_getLogs`), results unchanged.
 */
const CHECKPOINT_BLOCKS = 32n;
/** Gaps of more final blocks than this are caught up by log scans rather than header by header. */
const FAST_FORWARD_BLOCKS = 64n;

/** Rethrows a read failure caused by the head moving on as a ChainMovedError. */
function asChainMoved(error: unknown): unknown {
  return error instanceof ChainMovedError || classifyRpcError(error) === "pruned"
    ? new ChainMovedError("the chain moved during the read", { cause: error })
    : error;
}

/** One line for a log: the error's short message and its innermost detail, URLs redacted. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const short =
    (error as Error & { shortMessage?: string }).shortMessage ?? error.message.split("\n")[0] ?? error.name;
  let inner: unknown = error;
  while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause;
  const details =
    inner instanceof Error
      ? ((inner as Error & { details?: string }).details ?? inner.message.split("\n")[0])
      : "";
  return redactUrls(
    `${error.name}: ${short}${details !== undefined && details !== short ? ` (${details})` : ""}`,
  ).slice(0, 300);
}
