/**
 * `cascade-report/1` (cascade-model.md section 4): what one simulation says. Plain JSON data.
 * USD values are at the prices of the round in which they happen; amounts are token units.
 */
import type { Protocol } from "../ids.js";

export const REPORT_SCHEMA = "cascade-report/1";

export interface RoundSummary {
  readonly round: number;
  readonly liquidations: number;
  /** Σ repay × debt price at the round's starting prices. */
  readonly repaidUsd: number;
  /** Σ tokens sold (seize minus protocol fee) × price at the round's starting prices. */
  readonly soldUsd: number;
  readonly badDebtUsd: number;
  /** A buy in this round was capped at 0.99 of the pool. */
  readonly liquidityExhausted: boolean;
  /** Every asset's price after this round's trades (and follower moves). */
  readonly prices: Readonly<Record<string, number>>;
}

export interface LiquidationRecord {
  readonly round: number;
  readonly market: string;
  readonly account: string;
  readonly protocol: Protocol;
  /** Health at the round's prices (Morpho, Compound: weighted collateral over debt). */
  readonly healthFactor: number;
  /** Debt tokens repaid, per asset. */
  readonly repaid: Readonly<Record<string, number>>;
  /** Collateral tokens taken from the position, per asset (protocol fee included). */
  readonly seized: Readonly<Record<string, number>>;
  readonly repaidUsd: number;
  readonly seizedUsd: number;
  readonly badDebtUsd: number;
  readonly cause: "shock" | "cascade";
  /** Protocols whose previous-round trades moved a price this position depends on; sorted. */
  readonly sources: readonly Protocol[];
  readonly crossProtocol: boolean;
}

export interface ProtocolTotals {
  readonly liquidations: number;
  readonly repaidUsd: number;
  readonly badDebtUsd: number;
}

export interface CascadeTotals {
  readonly liquidations: number;
  readonly positionsLiquidated: number;
  readonly repaidUsd: number;
  readonly badDebtUsd: number;
  /** Every protocol that has a market in the book, in `PROTOCOLS` order, zeros included. */
  readonly byProtocol: Readonly<Partial<Record<Protocol, ProtocolTotals>>>;
}

export interface CascadeReport {
  readonly schema: typeof REPORT_SCHEMA;
  readonly shock: Readonly<Record<string, number>>;
  /** False when round `maxRounds` still liquidated something. */
  readonly converged: boolean;
  /** Rounds that liquidated something (the final empty round is not listed). */
  readonly rounds: readonly RoundSummary[];
  /** Sorted by round, then market id, then account (string order). */
  readonly liquidations: readonly LiquidationRecord[];
  readonly totals: CascadeTotals;
  readonly initialPrices: Readonly<Record<string, number>>;
  readonly finalPrices: Readonly<Record<string, number>>;
  /** `(1 - final/initial) / (1 - afterShock/initial)` for each shocked asset whose price the shock step lowered. */
  readonly amplification: Readonly<Record<string, number>>;
}
