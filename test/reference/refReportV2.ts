/**
 * `cascade-report/2` (cascade-model.md section 5) as plain structural types, shared by the
 * reference and the comparator. Nothing here comes from `src/core`: an engine report of this
 * shape, decoded from JSON, can be compared as it is.
 */

export interface RoundV2 {
  readonly round: number;
  readonly liquidations: number;
  readonly repaidUsd: number;
  readonly soldUsd: number;
  readonly badDebtUsd: number;
  readonly liquidityExhausted: boolean;
  readonly unprofitable: number;
  readonly unprofitableDebtUsd: number;
  /** Market prices after the round's trades. */
  readonly prices: Readonly<Record<string, number>>;
  /** Reports of the round, keyed by oracle id: every oracle a market resolves for an asset it names. */
  readonly oraclePrices: Readonly<Record<string, number>>;
}

export interface LiquidationV2 {
  readonly round: number;
  readonly market: string;
  readonly account: string;
  readonly protocol: string;
  readonly healthFactor: number;
  readonly repaid: Readonly<Record<string, number>>;
  readonly seized: Readonly<Record<string, number>>;
  readonly repaidUsd: number;
  readonly seizedUsd: number;
  /** Absent for a Compound absorb and for a write-off of a position without collateral. */
  readonly profitUsd?: number;
  readonly badDebtUsd: number;
  readonly cause: "shock" | "cascade";
  readonly sources: readonly string[];
  readonly crossProtocol: boolean;
}

export interface ProtocolTotalsV2 {
  readonly liquidations: number;
  readonly repaidUsd: number;
  readonly badDebtUsd: number;
}

export interface TotalsV2 {
  readonly liquidations: number;
  readonly positionsLiquidated: number;
  readonly repaidUsd: number;
  readonly badDebtUsd: number;
  readonly stranded: number;
  readonly strandedDebtUsd: number;
  readonly byProtocol: Readonly<Record<string, ProtocolTotalsV2>>;
}

export interface RefReportV2 {
  readonly schema: "cascade-report/2";
  readonly shock: Readonly<Record<string, number>>;
  readonly converged: boolean;
  readonly rounds: readonly RoundV2[];
  readonly liquidations: readonly LiquidationV2[];
  readonly totals: TotalsV2;
  readonly initialPrices: Readonly<Record<string, number>>;
  readonly finalPrices: Readonly<Record<string, number>>;
  readonly amplification: Readonly<Record<string, number>>;
}
