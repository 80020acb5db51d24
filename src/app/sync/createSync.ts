/**
 * The indexing use case for a whole config: one `ChainSync` per chain, started together, and a
 * snapshot assembled from all of them.
 */
import { assertChainId } from "../../adapters/chain/assertChainId.js";
import {
  type ChainClient,
  closeChainClient,
  createChainClient,
} from "../../adapters/chain/createChainClient.js";
import { detectMulticall3 } from "../../adapters/chain/detectMulticall3.js";
import { redactUrls } from "../../adapters/chain/redactUrls.js";
import { AssetRegistry } from "../../adapters/protocols/AssetRegistry.js";
import type { CascadeConfig } from "../../config/schema/configSchema.js";
import { FatalError, isCascadeError, TransientError } from "../../core/errors.js";
import type { PositionData, SnapshotInput } from "../../core/snapshot/schema.js";
import type { SnapshotChanges } from "../../core/snapshot/snapshotChanges.js";
import type { SnapshotOmissions } from "../buildSnapshot.js";
import { createSnapshotAssembler } from "../createSnapshotAssembler.js";
import { ChainSync, type ChainSyncStepResult } from "./ChainSync.js";
import type { CheckpointStore } from "./CheckpointStore.js";
import { createIndexers } from "./createIndexers.js";
import { memoryCheckpointStore } from "./memoryCheckpointStore.js";

export interface CreateSyncOptions {
  readonly checkpoints?: CheckpointStore;
  readonly log?: (line: string, fields?: Readonly<Record<string, unknown>>) => void;
  readonly signal?: AbortSignal;
  /** Rank several RPC URLs in the background (long-running processes). */
  readonly rankTransports?: boolean;
  /** Per-chain client override (tests inject transports). */
  readonly clientFor?: (chainId: number) => ChainClient | undefined;
  readonly attempts?: number;
  readonly retryBaseDelayMs?: number;
}

export interface Sync {
  readonly chains: readonly ChainSync[];
  /** Cold start of every chain. */
  start(): Promise<ChainSyncStepResult[]>;
  /** One live poll of every chain; a chain that fails fatally stops alone (see `ChainSync.stopped`). */
  step(): Promise<ChainSyncStepResult[]>;
  snapshot(takenAt?: Date): SnapshotInput;
  /**
   * The snapshot and what changed since the previous `snapshot`/`snapshotWithChanges` (the
   * positions the chains re-read and found changed, the new header); `changes` is undefined for
   * the first. The document is patched from the previous one, not rebuilt (see
   * `createSnapshotAssembler`): it equals a full build of the same reads.
   */
  snapshotWithChanges(takenAt?: Date): { snapshot: SnapshotInput; changes: SnapshotChanges | undefined };
  /** What the last `snapshot()` left out (unpriced assets, excluded positions). */
  omissions(): SnapshotOmissions | undefined;
  /** Closes connections that would keep the process alive (WebSocket RPCs). */
  close(): Promise<void>;
}

export async function createSync(config: CascadeConfig, options: CreateSyncOptions = {}): Promise<Sync> {
  const assets = new AssetRegistry(config.assets);
  const checkpoints = options.checkpoints ?? memoryCheckpointStore();
  const chains: ChainSync[] = [];
  const clients: ChainClient[] = [];
  for (const chain of config.chains) {
    if (
      !config.markets.some((m) => m.chain === chain.id) &&
      !config.assets.some(
        (a) =>
          (a.liquidity.kind === "uniswap-v2" || a.liquidity.kind === "uniswap-v3") &&
          a.liquidity.chain === chain.id,
      )
    )
      continue;
    const client =
      options.clientFor?.(chain.id) ?? createChainClient(chain, { rank: options.rankTransports ?? false });
    clients.push(client);
    let multicallAddress: Awaited<ReturnType<typeof detectMulticall3>>;
    try {
      await assertChainId(client, chain.id, chain.name);
      multicallAddress = await detectMulticall3(client);
    } catch (error) {
      if (isCascadeError(error)) throw error;
      await Promise.all(clients.map((c) => closeChainClient(c)));
      throw new TransientError(
        `chain ${chain.name}: the RPC did not answer at start (${firstLineOf(error)}); check chains[].rpc, or start again once it is up`,
      );
    }
    chains.push(
      new ChainSync({
        chain,
        client,
        indexers: createIndexers(chain, config.markets, client, assets, multicallAddress),
        assets: config.assets,
        checkpoints,
        ...(multicallAddress === undefined ? {} : { multicallAddress }),
        ...(options.log === undefined ? {} : { log: options.log }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        ...(options.attempts === undefined ? {} : { attempts: options.attempts }),
        ...(options.retryBaseDelayMs === undefined ? {} : { retryBaseDelayMs: options.retryBaseDelayMs }),
      }),
    );
  }
  let lastOmissions: SnapshotOmissions | undefined;
  const assembler = createSnapshotAssembler();
  function snapshotWithChanges(takenAt = new Date()): {
    snapshot: SnapshotInput;
    changes: SnapshotChanges | undefined;
  } {
    const views = chains.map((c) => c.view());
    const changed = new Map<string, PositionData | null>();
    for (const chain of chains)
      for (const [key, position] of chain.drainChanges()) changed.set(key, position);
    const { snapshot, omissions, changes } = assembler.assemble(
      {
        assets: config.assets,
        discovered: assets.discovered(),
        readings: views.flatMap((v) => v.readings),
        pools: views.flatMap((v) => v.pools),
        blocks: new Map(views.map((v) => [v.chainId, v.blockNumber])),
        takenAt,
        staleMarkets: views.flatMap((v) => v.staleMarkets),
      },
      () => chains.flatMap((c) => c.positions()),
      changed,
    );
    lastOmissions = omissions;
    return { snapshot, changes };
  }
  return {
    chains,
    omissions: () => lastOmissions,
    start: () => Promise.all(chains.map((c) => c.start())),
    async step(): Promise<ChainSyncStepResult[]> {
      // A chain that fails fatally (a reorg deeper than its window) stops alone, loudly: its data
      // stays, marked stale; the others go on. When every chain has stopped, the error surfaces.
      const results = await Promise.allSettled(
        chains.map((c) => (c.stopped === undefined ? c.step() : Promise.reject(c.stopped))),
      );
      results.forEach((result, i) => {
        const chain = chains[i]!;
        if (
          result.status === "rejected" &&
          result.reason instanceof FatalError &&
          chain.stopped === undefined
        ) {
          chain.stop(result.reason);
          options.log?.(`STOPPED chain ${chain.view().chainId}: ${result.reason.message}`, {
            event: "chain stopped",
            chainId: chain.view().chainId,
            error: result.reason.message,
            level: "error",
          });
        }
      });
      const failure = results.find((r) => r.status === "rejected" && !(r.reason instanceof FatalError));
      if (failure !== undefined) throw (failure as PromiseRejectedResult).reason;
      if (chains.length > 0 && chains.every((c) => c.stopped !== undefined)) throw chains[0]!.stopped;
      return results.map((r, i) =>
        r.status === "fulfilled"
          ? r.value
          : {
              headBlock: chains[i]!.headBlock,
              newBlocks: 0,
              touched: 0,
              reorgDepth: 0,
              stale: chains[i]!.view().staleMarkets,
            },
      );
    },
    async close(): Promise<void> {
      await Promise.all(chains.map((chain) => chain.flushCheckpoint()));
      await Promise.all(clients.map((client) => closeChainClient(client)));
    },
    snapshot(takenAt = new Date()): SnapshotInput {
      return snapshotWithChanges(takenAt).snapshot;
    },
    snapshotWithChanges,
  };
}

/** A viem error's short message and innermost detail, in one line, URLs redacted (they may carry keys). */
function firstLineOf(error: unknown): string {
  if (!(error instanceof Error)) return redactUrls(String(error)).slice(0, 200);
  const short = (error as Error & { shortMessage?: string }).shortMessage ?? error.message.split("\n")[0];
  let inner: unknown = error;
  while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause;
  const detail = inner instanceof Error && inner !== error ? `: ${inner.message.split("\n")[0]}` : "";
  return redactUrls(`${short}${detail}`).slice(0, 200);
}
