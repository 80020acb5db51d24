import { PROTOCOLS, type Protocol } from "../../core/ids.js";
import {
  type CascadeReport,
  type LiquidationRecord,
  type ProtocolTotals,
  REPORT_SCHEMA,
  type RoundSummary,
} from "../../core/report/cascadeReport.js";

export interface DevnetReportInput {
  readonly shock: Readonly<Record<string, number>>;
  readonly converged: boolean;
  readonly rounds: readonly RoundSummary[];
  readonly liquidations: readonly LiquidationRecord[];
  readonly protocols: ReadonlySet<Protocol>;
  readonly initialPrices: Readonly<Record<string, number>>;
  readonly afterShockPrices: Readonly<Record<string, number>>;
  readonly finalPrices: Readonly<Record<string, number>>;
  /** Liquidatable but unprofitable positions when the liquidator stopped. */
  readonly stranded?: { readonly count: number; readonly debtUsd: number };
}

/** Assembles a `cascade-report/2` from what happened on chain (sorting, totals, amplification). */
export function buildDevnetReport(input: DevnetReportInput): CascadeReport {
  const liquidations = [...input.liquidations].sort(
    (a, b) =>
      a.round - b.round ||
      (a.market < b.market ? -1 : a.market > b.market ? 1 : 0) ||
      (a.account < b.account ? -1 : a.account > b.account ? 1 : 0),
  );
  const byProtocol: Partial<
    Record<Protocol, { liquidations: number; repaidUsd: number; badDebtUsd: number }>
  > = {};
  for (const protocol of PROTOCOLS) {
    if (input.protocols.has(protocol))
      byProtocol[protocol] = { liquidations: 0, repaidUsd: 0, badDebtUsd: 0 };
  }
  let repaidUsd = 0;
  let badDebtUsd = 0;
  const positions = new Set<string>();
  for (const record of liquidations) {
    repaidUsd += record.repaidUsd;
    badDebtUsd += record.badDebtUsd;
    positions.add(`${record.market}|${record.account}`);
    const totals = byProtocol[record.protocol];
    if (totals !== undefined) {
      totals.liquidations++;
      totals.repaidUsd += record.repaidUsd;
      totals.badDebtUsd += record.badDebtUsd;
    }
  }
  const amplification: Record<string, number> = {};
  for (const [asset, s] of Object.entries(input.shock)) {
    const initial = input.initialPrices[asset];
    const afterShock = input.afterShockPrices[asset];
    const final = input.finalPrices[asset];
    if (!(s < 0) || initial === undefined || afterShock === undefined || final === undefined) continue;
    amplification[asset] = (1 - final / initial) / (1 - afterShock / initial);
  }
  return {
    schema: REPORT_SCHEMA,
    shock: { ...input.shock },
    converged: input.converged,
    rounds: input.rounds,
    liquidations,
    totals: {
      liquidations: liquidations.length,
      positionsLiquidated: positions.size,
      repaidUsd,
      badDebtUsd,
      stranded: input.stranded?.count ?? 0,
      strandedDebtUsd: input.stranded?.debtUsd ?? 0,
      byProtocol: byProtocol as Partial<Record<Protocol, ProtocolTotals>>,
    },
    initialPrices: { ...input.initialPrices },
    finalPrices: { ...input.finalPrices },
    amplification,
  };
}
