/** Text output of `cascade-monitor validate`: a per-round table (predicted vs realized) and a verdict. */
import type { ValidationResult } from "../../app/validate/runValidation.js";
import {
  BOUNDARY_TOLERANCE,
  VALUE_TOLERANCE,
  type ValidationDiff,
} from "../../core/validation/compareCascades.js";
import { formatCount, formatPercent, formatPrice, formatUsd, shortenId } from "./formatNumbers.js";
import { renderTextTable } from "./renderTextTable.js";

/** At most this many differences are listed (the JSON has them all). */
const MAX_DIFF_LINES = 25;

const cell = (value: number | string | null): string =>
  value === null ? "-" : typeof value === "number" ? String(value) : value;

function diffLine(diff: ValidationDiff): string {
  const where = diff.account === undefined ? "" : `  ${shortenId(diff.market ?? "")}  ${diff.account}`;
  const relative = diff.relative === undefined ? "" : `  (relative ${diff.relative.toExponential(2)})`;
  return `  round ${diff.round}${where}  ${diff.field}: predicted ${cell(diff.predicted)}, realized ${cell(diff.realized)}${relative}`;
}

export function formatValidation(result: ValidationResult): string[] {
  const { comparison } = result;
  const shock = Object.entries(result.shock)
    .map(([asset, s]) => `${asset} ${formatPercent(s)}`)
    .join(", ");
  // Every priced asset but the quote, whose price never moves ($1 on both sides).
  const assets = [
    ...new Set(
      comparison.rounds.flatMap((round) => [
        ...Object.keys(round.predicted?.prices ?? {}),
        ...Object.keys(round.realized?.prices ?? {}),
      ]),
    ),
  ]
    .filter((asset) => comparison.rounds.some((round) => (round.realized?.prices[asset] ?? 1) !== 1))
    .sort();
  const rows: string[][] = [];
  for (const round of comparison.rounds) {
    for (const [label, side] of [
      ["predicted", round.predicted],
      ["realized", round.realized],
    ] as const) {
      rows.push([
        label === "predicted" ? String(round.round) : "",
        label,
        side === undefined ? "-" : formatCount(side.liquidations),
        side === undefined ? "-" : formatUsd(side.repaidUsd),
        side === undefined ? "-" : formatUsd(side.soldUsd),
        side === undefined ? "-" : formatUsd(side.badDebtUsd),
        side === undefined ? "-" : formatCount(side.unprofitable),
        side === undefined ? "-" : formatCount(side.crossProtocol),
        ...assets.map((asset) =>
          side?.prices[asset] === undefined ? "-" : formatPrice(side.prices[asset]!),
        ),
        label === "predicted" ? round.maxRelative.toExponential(1) : "",
      ]);
    }
  }
  const lines = [
    `Validation: seed ${result.seed}, ${formatCount(result.positions)} positions, shock ${shock} on chain`,
    `Snapshot by the indexers: ${formatCount(result.snapshot.positions.length)} positions; prediction = simulate(snapshot, no further shock)`,
    "",
    ...renderTextTable(
      [
        { header: "Round" },
        { header: "Side" },
        { header: "Liquidations", right: true },
        { header: "Repaid", right: true },
        { header: "Sold", right: true },
        { header: "Bad debt", right: true },
        { header: "Unprofitable", right: true },
        { header: "Cross-protocol", right: true },
        ...assets.map((asset) => ({ header: asset, right: true })),
        { header: "Max rel. diff", right: true },
      ],
      rows,
    ),
    "",
  ];
  if (comparison.rounds.length === 0) lines.push("No liquidations predicted or realized.");
  if (result.predicted.totals.stranded > 0 || result.realized.totals.stranded > 0)
    lines.push(
      `Stranded (liquidatable, unprofitable at the end): predicted ${formatCount(result.predicted.totals.stranded)} (${formatUsd(result.predicted.totals.strandedDebtUsd)}), realized ${formatCount(result.realized.totals.stranded)} (${formatUsd(result.realized.totals.strandedDebtUsd)})`,
    );
  const rules = result.closeRules.realized;
  lines.push(
    `v3.3 rules on chain: ${rules.fullClose} full closes of small positions, ${rules.dust} repays lowered by the dust rule (${rules.v33AboveThreshold} liquidations above the close-factor threshold)`,
  );
  for (const boundary of comparison.boundary) {
    lines.push(
      `boundary: round ${boundary.round} ${shortenId(boundary.market)} ${boundary.account} (${boundary.kind === "profit" ? `profit after gas $${boundary.profitUsd}` : `health factor ${boundary.healthFactor}`}) liquidated only by the ${boundary.liquidatedBy} side (allowed within ${BOUNDARY_TOLERANCE.toExponential(0)})`,
    );
  }
  for (const reverted of result.reverted) {
    lines.push(
      `reverted on chain: round ${reverted.round} ${shortenId(reverted.market)} ${reverted.account}`,
    );
  }
  const worst =
    comparison.worst === undefined
      ? "every number equal"
      : `largest relative difference ${comparison.maxRelative.toExponential(2)} (round ${comparison.worst.round}, ${comparison.worst.field})`;
  if (comparison.agree && result.reverted.length === 0) {
    lines.push(
      `Verdict: AGREE. ${formatCount(comparison.matched)} liquidations in ${comparison.rounds.length} rounds match; ${worst}; tolerance ${VALUE_TOLERANCE.toExponential(0)} relative or one token unit per rounding.`,
    );
  } else {
    lines.push(
      `Verdict: DISAGREE. ${formatCount(comparison.diffs.length)} differences beyond ${VALUE_TOLERANCE.toExponential(0)} relative or one token unit per rounding, ${result.reverted.length} reverted liquidations:`,
      ...comparison.diffs.slice(0, MAX_DIFF_LINES).map(diffLine),
    );
    if (comparison.diffs.length > MAX_DIFF_LINES)
      lines.push(`  … ${comparison.diffs.length - MAX_DIFF_LINES} more (see --json)`);
  }
  return lines;
}
