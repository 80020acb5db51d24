/** Job payloads of the distributed pipeline (plain JSON) and the bounds on kept jobs. */
import type { AlertNotification } from "../../core/alerts/alertBook.js";
import type { QueueName } from "../metrics/metricLabels.js";

export interface SyncJob {
  /** `catch-up`: queued when a cycle that outlived the interval ends, to read the newest block at once. */
  readonly reason: "schedule" | "manual" | "catch-up";
}

/**
 * The parent job of one cycle: it runs once every task job (its children) has completed, and
 * assembles their results. Carries the sync facts so the assembly needs no snapshot.
 */
export interface SimulateJob {
  readonly version: number;
  readonly takenAtMs: number;
  readonly blocks: Readonly<Record<string, number>>;
  readonly heads: Readonly<Record<string, number>>;
  /** The cycle's plan, in result order (task `index` is a position in it). */
  readonly tasks: readonly unknown[];
}

/** One independent piece of a cycle (a scenario, a curve point, a search, ...) on cycle `version`'s book. */
export interface TaskJob {
  readonly version: number;
  readonly index: number;
  /** A `CycleTask` (plain JSON). */
  readonly task: unknown;
}

/**
 * One Monte Carlo VaR run of the newest results' book. It runs twice: first it queues its paths
 * as task jobs (its children) and waits; once they are done, it aggregates them (`aggregate`).
 */
export interface ValueAtRiskJob {
  readonly aggregate?: {
    /** Results version whose snapshot the paths ran on. */
    readonly version: number;
    /** The run (a `ValueAtRiskRun`, plain JSON) whose paths the children simulated. */
    readonly run: unknown;
    /** When the run started (milliseconds since the epoch), for its duration. */
    readonly startedAtMs: number;
  };
}

export interface EvaluateJob {
  /** Results version that triggered it (0 for a scheduled re-evaluation). */
  readonly version: number;
}

export interface NotifyJob {
  readonly sink: string;
  readonly notification: AlertNotification;
}

export interface PipelineJobs {
  readonly sync: SyncJob;
  readonly simulate: SimulateJob;
  readonly task: TaskJob;
  readonly var: ValueAtRiskJob;
  readonly evaluate: EvaluateJob;
  readonly notify: NotifyJob;
}

/** Completed jobs kept (for idempotent ids and inspection): at most this many, at most this old. */
export const KEEP_COMPLETED = { count: 1000, age: 24 * 3600 } as const;
/** Failed jobs kept for inspection. */
export const KEEP_FAILED = { count: 5000, age: 7 * 24 * 3600 } as const;

/** Attempts per queue: syncs and simulations are redone by the next cycle anyway; deliveries try harder. */
export const ATTEMPTS: Readonly<Record<QueueName, number>> = {
  sync: 3,
  simulate: 3,
  task: 3,
  var: 2,
  evaluate: 5,
  notify: 12,
};

/** Job ids: BullMQ refuses integers and ':' in custom ids. */
export const jobIds = {
  simulate: (version: number) => `simulate-v${version}`,
  task: (version: number, index: number) => `task-v${version}-${index}`,
  catchUp: (version: number) => `sync-catch-up-after-v${version}`,
  paths: (varJobId: string, from: number) => `var-${varJobId}-paths-${from}`,
  evaluate: (version: number) => `evaluate-v${version}`,
  notify: (notificationId: string, sink: string) => `notify-${notificationId}-${sink}`,
};
