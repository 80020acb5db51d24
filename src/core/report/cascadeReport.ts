/**
 * `cascade-report/2` (docs/cascade-model.md section 5): what one simulation says. Plain JSON data.
 * Health, repaid, seized and bad debt are at the round's oracle reports; sold and profit at its
 * market prices; amounts are token units.
 */
import type { Protocol } from "../ids.js";

export const REPORT_SCHEMA = "cascade-report/2";

export interface RoundSummary {
  readonly round: number;
  readonly liquidations: number;
  /** Σ repay × debt oracle price at the round's reports. */
  readonly repaidUsd: number;
  /** Σ tokens sold (seize minus fee) × market price at the round's start. */
  readonly soldUsd: number;
  readonly badDebtUsd: number;
  /** A trade in this round ran out of liquidity (a capped buy, an unfinished concentrated swap). */
  readonly liquidityExhausted: boolean;
  /** Liquidatable positions the liquidator skipped because the liquidation would not pay. */
  readonly unprofitable: number;
  /** Their whole debt at the round's oracle reports. */
  readonly unprofitableDebtUsd: number;
  /**
   * Model 2.1, present when some Aave market holds liquidations (a paused reserve, a grace period,
   * a sentinel that disallows): liquidatable positions the protocol would not let be liquidated.
   */
  readonly blocked?: number;
  /** Their whole debt at the round's oracle reports. */
  readonly blockedDebtUsd?: number;
  /** Every asset's market price after this round's trades (and follower moves). */
  readonly prices: Readonly<Record<string, number>>;
  /** The round's report of every oracle a market reads, by oracle id. */
  readonly oraclePrices: Readonly<Record<string, number>>;
}

export interface LiquidationRecord {
  readonly round: number;
  readonly market: string;
  readonly account: string;
  readonly protocol: Protocol;
  /** Health at the round's oracle reports (Morpho, Compound: weighted collateral over debt). */
  readonly healthFactor: number;
  /** Debt tokens repaid, per asset. */
  readonly repaid: Readonly<Record<string, number>>;
  /** Collateral tokens taken from the position, per asset (protocol fee included). */
  readonly seized: Readonly<Record<string, number>>;
  readonly repaidUsd: number;
  readonly seizedUsd: number;
  /** The liquidator's profit at market prices, gas deducted; absent for an absorb or a write-off. */
  readonly profitUsd?: number;
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
  /** Positions still liquidatable, but unprofitable, when the simulation stops: debt nobody will liquidate. */
  readonly stranded: number;
  readonly strandedDebtUsd: number;
  /** Model 2.1 (see `RoundSummary.blocked`): positions still held when the simulation stops, and their debt. */
  readonly blocked?: number;
  readonly blockedDebtUsd?: number;
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
  /** Market prices. */
  readonly initialPrices: Readonly<Record<string, number>>;
  readonly finalPrices: Readonly<Record<string, number>>;
  /** `(1 - final/initial) / (1 - afterShock/initial)` on market prices, for each shocked asset whose price the shock step lowered. */
  readonly amplification: Readonly<Record<string, number>>;
}
