/**
 * The indexers as the daemon's snapshot source: the first `sync` is the cold start (backfill and
 * read everything), every later one a live step (new blocks, touched positions, fresh prices).
 * `syncBook` hands over what the step changed (or, when asked, the assembled document unparsed),
 * for a monitor that keeps its book.
 */
import { createChainClient } from "../../adapters/chain/createChainClient.js";
import { instrumentedTransport } from "../../adapters/metrics/instrumentRpc.js";
import type { MonitorMetrics } from "../../adapters/metrics/monitorMetrics.js";
import type { CascadeConfig } from "../../config/schema/configSchema.js";
import { parseSnapshot } from "../../core/snapshot/parseSnapshot.js";
import type { SnapshotInput } from "../../core/snapshot/schema.js";
import type { SnapshotChanges } from "../../core/snapshot/snapshotChanges.js";
import type { CheckpointStore } from "../sync/CheckpointStore.js";
import { createSync } from "../sync/createSync.js";
import type { SnapshotSource, SyncedBook, SyncedSnapshot } from "./daemonPorts.js";

export interface IndexerSourceOptions {
  readonly checkpoints?: CheckpointStore;
  readonly log?: (line: string, fields?: Readonly<Record<string, unknown>>) => void;
  readonly signal: AbortSignal;
  readonly nowMs: () => number;
  /** When given, every RPC request is counted and timed in `cascade_monitor_rpc_*`. */
  readonly metrics?: MonitorMetrics;
  /** Told once per chain that stopped for good (a reorg deeper than its window, a rewound node). */
  readonly onChainStopped?: (chainId: number, reason: string) => void;
}

export async function createIndexerSnapshotSource(
  config: CascadeConfig,
  options: IndexerSourceOptions,
): Promise<SnapshotSource> {
  const metrics = options.metrics;
  const sync = await createSync(config, {
    rankTransports: true,
    ...(metrics === undefined
      ? {}
      : {
          clientFor: (chainId: number) => {
            const chain = config.chains.find((c) => c.id === chainId);
            if (chain === undefined) return undefined;
            const inner = createChainClient(chain, { rank: true });
            return createChainClient(chain, { transport: instrumentedTransport(inner, chainId, metrics) });
          },
        }),
    signal: options.signal,
    ...(options.checkpoints === undefined ? {} : { checkpoints: options.checkpoints }),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  let started = false;
  const reported = new Set<number>();
  const reportStops = () => {
    for (const chain of sync.chains) {
      const id = chain.view().chainId;
      if (chain.stopped === undefined || reported.has(id)) continue;
      reported.add(id);
      metrics?.chainStopped.set({ chain_id: String(id) }, 1);
      options.onChainStopped?.(id, chain.stopped.message);
    }
  };
  /** One step of every chain; the document assembled at its end (not validated). */
  async function step(): Promise<{
    document: SnapshotInput;
    changes: SnapshotChanges | undefined;
    takenAtMs: number;
    heads: Record<string, number>;
  }> {
    let steps: Awaited<ReturnType<typeof sync.step>>;
    try {
      steps = started ? await sync.step() : await sync.start();
    } finally {
      reportStops();
    }
    started = true;
    const takenAtMs = options.nowMs();
    const { snapshot: document, changes } = sync.snapshotWithChanges(new Date(takenAtMs));
    sync.chains.forEach((chain, i) => {
      const step = steps[i];
      if (step !== undefined)
        metrics?.recordSyncStep(chain.view().chainId, {
          reorgDepth: step.reorgDepth,
          staleMarkets: step.stale.length,
          touched: step.touched,
        });
    });
    const omissions = sync.omissions();
    if (omissions !== undefined) {
      metrics?.recordOmissions(omissions);
      if (omissions.excludedPositions > 0)
        options.log?.(
          `snapshot: ${omissions.excludedPositions} positions excluded whole (debt $${Math.round(omissions.excludedDebtUsd)}) for ${omissions.unpriced.length} unpriced assets`,
          {
            event: "positions excluded",
            level: "warn",
            excludedPositions: omissions.excludedPositions,
            excludedDebtUsd: omissions.excludedDebtUsd,
            unpriced: omissions.unpriced.map((u) => `${u.market}/${u.asset}`),
          },
        );
    }
    const heads: Record<string, number> = {};
    sync.chains.forEach((chain, i) => {
      const head = steps[i]?.headBlock;
      if (head !== undefined) heads[String(chain.view().chainId)] = Number(head);
    });
    return { document, changes, takenAtMs, heads };
  }
  return {
    async sync(): Promise<SyncedSnapshot> {
      const { document, takenAtMs, heads } = await step();
      const snapshot = parseSnapshot(document);
      return { snapshot, takenAtMs, blocks: snapshot.source.blocks, heads };
    },
    // The block's changes as the sync knows them (the positions it re-read and found changed),
    // unless the whole document is asked for or the changes are not known (the first step).
    async syncBook(_signal, whole): Promise<SyncedBook> {
      const { document, changes, takenAtMs, heads } = await step();
      return whole || changes === undefined
        ? { kind: "document", document, takenAtMs, heads }
        : { kind: "changes", changes, takenAtMs, heads };
    },
    close: () => sync.close(),
  };
}
