/**
 * What the alert rules look at: the newest results of one monitoring cycle, reduced to numbers.
 * Built by the daemon from the engine's reports; plain data so it can cross a queue.
 */
export interface ScenarioOutcome {
  readonly name: string;
  /** Shock per asset, as fractions (`{ WETH: -0.2 }`). */
  readonly shock: Readonly<Record<string, number>>;
  readonly liquidations: number;
  readonly repaidUsd: number;
  readonly badDebtUsd: number;
  readonly rounds: number;
  readonly crossProtocolLiquidations: number;
  /** Amplification per shocked asset (model section 5). */
  readonly amplification: Readonly<Record<string, number>>;
  readonly durationSeconds: number;
}

export interface CriticalShockOutcome {
  readonly asset: string;
  /** Smallest-magnitude shock (negative fraction) that makes a cascade, or null if none in [-0.99, 0]. */
  readonly cascadeShock: number | null;
  /** Smallest-magnitude shock that creates bad debt, or null. */
  readonly badDebtShock: number | null;
}

export interface PositionAtRisk {
  readonly market: string;
  readonly protocol: string;
  readonly account: string;
  readonly healthFactor: number;
  readonly collateralUsd: number;
  readonly debtUsd: number;
}

export interface MonitorView {
  readonly scenarios: readonly ScenarioOutcome[];
  readonly criticalShocks: readonly CriticalShockOutcome[];
  readonly positionsAtRisk: readonly PositionAtRisk[];
  /** Seconds between the snapshot's time and the evaluation time. */
  readonly snapshotAgeSeconds: number;
}
