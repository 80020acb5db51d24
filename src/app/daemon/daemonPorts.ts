/**
 * What the daemon needs from the engine and the indexers, as small interfaces: the pipeline is
 * built and tested against these, and the real engine and indexers plug in behind them.
 */
import type { BookSummary } from "../../adapters/store/monitorResults.js";
import type { CriticalShockOutcome, PositionAtRisk } from "../../core/alerts/monitorView.js";
import type { ShockRunCache } from "../../core/curve/shockRun.js";
import type { TalliedCascade } from "../../core/propagator/simulate.js";
import type { CascadeReport } from "../../core/report/cascadeReport.js";
import type { CascadeDrivers } from "../../core/risk/cascadeDrivers.js";
import type { ShockPaths } from "../../core/risk/drawShockPaths.js";
import type { LeverageClustering } from "../../core/risk/leverageClustering.js";
import type { PathOutcome } from "../../core/risk/pathMeasures.js";
import type { Snapshot } from "../../core/snapshot/snapshot.js";
import type { SnapshotChanges } from "../../core/snapshot/snapshotChanges.js";

/** A snapshot with the chain facts the monitor reports on. */
export interface SyncedSnapshot {
  readonly snapshot: Snapshot;
  /** When the data was read (milliseconds since the epoch). */
  readonly takenAtMs: number;
  /** Newest indexed block per chain id. */
  readonly blocks: Readonly<Record<string, number>>;
  /** Chain head per chain id at sync time. */
  readonly heads: Readonly<Record<string, number>>;
}

/** The chain facts of a sync, without its book. */
export type SyncFacts = Omit<SyncedSnapshot, "snapshot">;

/**
 * What a sync hands the monitor that keeps its compiled book: its whole document (unvalidated;
 * unchanged positions keep their objects from one document to the next), or what changed since
 * the book it handed over before. The blocks are the validated snapshot's `source.blocks`.
 */
export type SyncedBook = Omit<SyncFacts, "blocks"> &
  (
    | { readonly kind: "document"; readonly document: unknown }
    | { readonly kind: "changes"; readonly changes: SnapshotChanges }
  );

/** The indexers: brings the book up to date and returns it. */
export interface SnapshotSource {
  sync(signal: AbortSignal): Promise<SyncedSnapshot>;
  /**
   * The per-block path, when the source offers it: the book without a parse. `whole` asks for
   * the whole document (a source of changes must not answer with changes then).
   */
  syncBook?(signal: AbortSignal, whole: boolean): Promise<SyncedBook>;
  close(): Promise<void>;
}

/** A compiled book: opaque to the daemon, reused for every simulation of one snapshot. */
export type EngineBook = unknown;

/** The engine: pure functions of a snapshot. */
export interface CascadeEngine {
  compile(snapshot: Snapshot): EngineBook;
  simulate(book: EngineBook, shock: Readonly<Record<string, number>>, maxRounds: number): CascadeReport;
  /** `simulate` without the per-liquidation records: the cycle's scenarios (totals, rounds, flows). */
  scenario(book: EngineBook, shock: Readonly<Record<string, number>>, maxRounds: number): TalliedCascade;
  /**
   * The book summary and the positions whose health factor is below `maxHealthFactor`, as
   * `summarizeBook` and `positionsAtRisk` give them. `inBookOrder`: `snapshot.positions[i]` is
   * the book's position `i` (the held book's snapshot), which lets them be read off the book.
   */
  summary(
    snapshot: Snapshot,
    book: EngineBook,
    maxHealthFactor: number,
    inBookOrder: boolean,
  ): { book: BookSummary; positionsAtRisk: PositionAtRisk[] };
  /**
   * The liquidation curve of one asset over `shocks` (round-1, total and bad-debt USD per shock);
   * `runs`: the cycle's runs of this asset on this book at `maxRounds`, used and added to.
   */
  curve(
    book: EngineBook,
    asset: string,
    shocks: readonly number[],
    maxRounds: number,
    runs?: ShockRunCache,
  ): ReadonlyArray<{ shock: number; directRepaidUsd: number; totalRepaidUsd: number; badDebtUsd: number }>;
  /** The model's critical-shock search for one asset (`runs` as for `curve`). */
  criticalShock(
    book: EngineBook,
    asset: string,
    maxRounds: number,
    runs?: ShockRunCache,
  ): CriticalShockOutcome;
  /** Systemic importance of a scenario: the book without each top position and each market. */
  drivers(
    snapshot: Snapshot,
    book: EngineBook,
    shock: Readonly<Record<string, number>>,
    topPositions: number,
    maxRounds: number,
  ): CascadeDrivers;
  /** Every path of `paths` through the full cascade (Monte Carlo VaR); `outcomes[k]` is path `k`'s. */
  paths(book: EngineBook, paths: ShockPaths, maxRounds: number): PathOutcome[];
  /** Debt liquidated per price bucket of `asset`, directly and with the cascade. */
  clustering(
    snapshot: Snapshot,
    book: EngineBook,
    asset: string,
    step: number,
    maxRounds: number,
  ): LeverageClustering;
}
