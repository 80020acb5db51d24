/** The human-readable `var` output: statistics per measure, by protocol, by market, the worst paths. */
import type { LossStatistics } from "../../core/risk/quantile.js";
import type { ValueAtRiskReport } from "../../core/risk/valueAtRisk.js";
import { formatCount, formatPercent, formatUsd, shortenId } from "./formatNumbers.js";
import { renderTextTable } from "./renderTextTable.js";

const STAT_COLUMNS = [
  { header: "mean", right: true },
  { header: "p95", right: true },
  { header: "p99", right: true },
  { header: "ES beyond p99", right: true },
];
const statCells = (s: LossStatistics): string[] => [
  formatUsd(s.mean),
  formatUsd(s.p95),
  formatUsd(s.p99),
  formatUsd(s.es99),
];

export function formatValueAtRisk(report: ValueAtRiskReport, top = 10): string[] {
  const tails =
    report.model.tails.kind === "normal" ? "normal" : `Student-t, ${report.model.tails.degreesOfFreedom} df`;
  const lines = [
    `${formatCount(report.pathCount)} paths over ${report.horizonHours} h (seed ${report.seed}, ${tails} tails), each simulated through the full cascade`,
    `Assets moved: ${report.model.assets.map((a, i) => `${a} ${(report.model.volatility[i]! * 100).toFixed(0)}%/y`).join(", ")}`,
    "",
    ...renderTextTable(
      [{ header: "measure" }, ...STAT_COLUMNS],
      [
        ["bad debt", ...statCells(report.badDebtUsd)],
        ["liquidated debt", ...statCells(report.liquidatedDebtUsd)],
        ["stranded debt", ...statCells(report.strandedDebtUsd)],
      ],
    ),
    "",
    "By protocol",
    ...renderTextTable(
      [{ header: "protocol" }, { header: "measure" }, ...STAT_COLUMNS],
      Object.entries(report.byProtocol).flatMap(([p, s]) => [
        [p, "bad debt", ...statCells(s.badDebtUsd)],
        ["", "liquidated", ...statCells(s.liquidatedDebtUsd)],
      ]),
    ),
  ];
  const markets = Object.entries(report.byMarket)
    .sort(
      ([, a], [, b]) =>
        b.liquidatedDebtUsd.p99 - a.liquidatedDebtUsd.p99 || b.badDebtUsd.p99 - a.badDebtUsd.p99,
    )
    .slice(0, top);
  lines.push(
    "",
    `By market (top ${markets.length} by p99 liquidated debt)`,
    ...renderTextTable(
      [
        { header: "market" },
        { header: "liquidated p99", right: true },
        { header: "ES", right: true },
        { header: "bad debt p99", right: true },
        { header: "ES", right: true },
      ],
      markets.map(([id, s]) => [
        shortenId(id),
        formatUsd(s.liquidatedDebtUsd.p99),
        formatUsd(s.liquidatedDebtUsd.es99),
        formatUsd(s.badDebtUsd.p99),
        formatUsd(s.badDebtUsd.es99),
      ]),
    ),
    "",
    "Worst paths",
    ...renderTextTable(
      [
        { header: "path", right: true },
        { header: "bad debt", right: true },
        { header: "liquidated", right: true },
        { header: "stranded", right: true },
        { header: "shock" },
      ],
      report.worstPaths.slice(0, top).map((w) => [
        String(w.path),
        formatUsd(w.badDebtUsd),
        formatUsd(w.liquidatedDebtUsd),
        formatUsd(w.strandedDebtUsd),
        Object.entries(w.shock)
          .map(([a, s]) => `${a} ${formatPercent(s)}`)
          .join(", "),
      ]),
    ),
    "",
    "Percentiles are nearest-rank; ES is the mean of the paths beyond the p99 rank. --json lists every path's shock and totals.",
  );
  return lines;
}
