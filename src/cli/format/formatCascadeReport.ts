import type { CascadeReport, LiquidationRecord } from "../../core/report/cascadeReport.js";
import { formatCount, formatPercent, formatPrice, formatUsd, shortenId } from "./formatNumbers.js";
import { renderTextTable } from "./renderTextTable.js";

export interface FormatCascadeReportOptions {
  /** Rows of the "top positions" table (default 10). */
  readonly top?: number;
}

/** Assets whose final price differs from the initial one, shocked assets first. */
function movedAssets(report: CascadeReport): string[] {
  const shocked = Object.keys(report.shock);
  const moved = Object.keys(report.initialPrices).filter(
    (a) => !shocked.includes(a) && report.finalPrices[a] !== report.initialPrices[a],
  );
  return [...shocked, ...moved];
}

interface PositionTotal {
  market: string;
  account: string;
  protocol: string;
  liquidations: number;
  firstRound: number;
  lowestHealthFactor: number;
  repaidUsd: number;
  seizedUsd: number;
  badDebtUsd: number;
  cause: string;
}

/** Liquidations summed per position, largest repaid USD first (ties: market, account). */
export function topPositions(liquidations: readonly LiquidationRecord[], top: number): PositionTotal[] {
  const byPosition = new Map<string, PositionTotal>();
  for (const l of liquidations) {
    const key = `${l.market}\n${l.account}`;
    const total = byPosition.get(key);
    if (total === undefined) {
      const cause = l.cause === "shock" ? "shock" : `cascade (${l.sources.join(", ")})`;
      byPosition.set(key, {
        market: l.market,
        account: l.account,
        protocol: l.protocol,
        liquidations: 1,
        firstRound: l.round,
        lowestHealthFactor: l.healthFactor,
        repaidUsd: l.repaidUsd,
        seizedUsd: l.seizedUsd,
        badDebtUsd: l.badDebtUsd,
        cause,
      });
    } else {
      total.liquidations += 1;
      total.lowestHealthFactor = Math.min(total.lowestHealthFactor, l.healthFactor);
      total.repaidUsd += l.repaidUsd;
      total.seizedUsd += l.seizedUsd;
      total.badDebtUsd += l.badDebtUsd;
    }
  }
  return [...byPosition.values()]
    .sort(
      (a, b) =>
        b.repaidUsd - a.repaidUsd || a.market.localeCompare(b.market) || a.account.localeCompare(b.account),
    )
    .slice(0, top);
}

/** The readable summary of a cascade report: headline, prices, rounds, protocols, top positions. */
export function formatCascadeReport(
  report: CascadeReport,
  options: FormatCascadeReportOptions = {},
): string[] {
  const lines: string[] = [];
  const shock = Object.entries(report.shock)
    .map(([asset, s]) => `${asset} ${formatPercent(s)}`)
    .join(", ");
  const rounds = report.rounds.length;
  lines.push(`Shock: ${shock}`);
  lines.push(
    `${report.converged ? "Converged" : "NOT converged (max rounds reached)"} after ${rounds} round${rounds === 1 ? "" : "s"} with liquidations: ` +
      `${formatCount(report.totals.liquidations)} liquidations of ${formatCount(report.totals.positionsLiquidated)} positions, ` +
      `repaid ${formatUsd(report.totals.repaidUsd)}, bad debt ${formatUsd(report.totals.badDebtUsd)}`,
  );
  lines.push(
    `Stranded (liquidatable, but no liquidation pays): ${formatCount(report.totals.stranded)} positions, ` +
      `${formatUsd(report.totals.strandedDebtUsd)} of debt nobody will liquidate`,
  );
  if (report.totals.blocked !== undefined)
    lines.push(
      `Blocked (liquidatable, but the protocol holds it: paused reserve, grace period, sentinel): ` +
        `${formatCount(report.totals.blocked)} positions, ${formatUsd(report.totals.blockedDebtUsd ?? 0)} of debt`,
    );
  const assets = movedAssets(report);
  for (const asset of assets) {
    const initial = report.initialPrices[asset] ?? Number.NaN;
    const final = report.finalPrices[asset] ?? Number.NaN;
    const amplification = report.amplification[asset];
    lines.push(
      `  ${asset}: ${formatPrice(initial)} → ${formatPrice(final)} (${formatPercent(final / initial - 1)}` +
        `${amplification === undefined ? "" : `, amplification ${amplification.toFixed(3)}`})`,
    );
  }
  if (rounds === 0) return lines;

  lines.push("", "Rounds (market prices after the round's trades)");
  lines.push(
    ...renderTextTable(
      [
        { header: "round", right: true },
        { header: "liquidations", right: true },
        { header: "repaid", right: true },
        { header: "sold", right: true },
        { header: "bad debt", right: true },
        { header: "unprofitable", right: true },
        { header: "their debt", right: true },
        { header: "liquidity" },
        ...assets.map((a) => ({ header: a, right: true })),
      ],
      report.rounds.map((r) => [
        String(r.round),
        formatCount(r.liquidations),
        formatUsd(r.repaidUsd),
        formatUsd(r.soldUsd),
        formatUsd(r.badDebtUsd),
        formatCount(r.unprofitable),
        formatUsd(r.unprofitableDebtUsd),
        r.liquidityExhausted ? "exhausted" : "ok",
        ...assets.map((a) => formatPrice(r.prices[a] ?? Number.NaN)),
      ]),
    ),
  );
  const oracleIds = Object.keys(report.rounds[0]?.oraclePrices ?? {});
  if (oracleIds.length > 0) {
    lines.push("", "Oracle reports the markets judged each round by");
    lines.push(
      ...renderTextTable(
        [{ header: "round", right: true }, ...oracleIds.map((o) => ({ header: o, right: true }))],
        report.rounds.map((r) => [
          String(r.round),
          ...oracleIds.map((o) => formatPrice(r.oraclePrices[o] ?? Number.NaN)),
        ]),
      ),
    );
  }

  lines.push("", "By protocol");
  lines.push(
    ...renderTextTable(
      [
        { header: "protocol" },
        { header: "liquidations", right: true },
        { header: "repaid", right: true },
        { header: "bad debt", right: true },
      ],
      Object.entries(report.totals.byProtocol).map(([protocol, t]) => [
        protocol,
        formatCount(t.liquidations),
        formatUsd(t.repaidUsd),
        formatUsd(t.badDebtUsd),
      ]),
    ),
  );

  const top = topPositions(report.liquidations, options.top ?? 10);
  lines.push("", `Top ${top.length} positions by repaid USD`);
  lines.push(
    ...renderTextTable(
      [
        { header: "market" },
        { header: "account" },
        { header: "liquidations", right: true },
        { header: "min HF", right: true },
        { header: "repaid", right: true },
        { header: "seized", right: true },
        { header: "bad debt", right: true },
        { header: "cause (first round)" },
      ],
      top.map((p) => [
        shortenId(p.market),
        shortenId(p.account),
        formatCount(p.liquidations),
        p.lowestHealthFactor.toFixed(4),
        formatUsd(p.repaidUsd),
        formatUsd(p.seizedUsd),
        formatUsd(p.badDebtUsd),
        `${p.cause}, round ${p.firstRound}`,
      ]),
    ),
  );
  return lines;
}
