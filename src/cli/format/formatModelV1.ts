/** Text output of `validate --assume v1`: model v1's prediction beside the chain, per round and in total. */
import type { ModelV1Measurement } from "../../app/validate/measureModelV1.js";
import type { CascadeFigures } from "../../core/validation/summarizeCascadeDifference.js";
import { formatCount, formatPercent, formatUsd } from "./formatNumbers.js";
import { renderTextTable } from "./renderTextTable.js";

const relative = (value: number): string =>
  Number.isFinite(value) ? formatPercent(value, 1) : "(realized 0)";

export function formatModelV1(measurement: ModelV1Measurement): string[] {
  const { difference } = measurement;
  const row = (round: string, side: string, f: CascadeFigures): string[] => [
    round,
    side,
    formatCount(f.liquidations),
    formatUsd(f.repaidUsd),
    formatUsd(f.badDebtUsd),
  ];
  const rows = difference.rounds.flatMap((r) => [
    row(String(r.round), "model v1", r.predicted),
    row("", "realized", r.realized),
  ]);
  rows.push(
    row("total", "model v1", difference.totals.predicted),
    row("", "realized", difference.totals.realized),
  );
  const { totals } = difference;
  return [
    "",
    "Model v1's assumptions (every oracle its asset's market price, every pool against USD, no gas) on the same snapshot:",
    "",
    ...renderTextTable(
      [
        { header: "Round" },
        { header: "Side" },
        { header: "Liquidations", right: true },
        { header: "Repaid", right: true },
        { header: "Bad debt", right: true },
      ],
      rows,
    ),
    "",
    `Model v1 vs the chain: ${totals.predicted.rounds} rounds vs ${totals.realized.rounds}; liquidations ${relative(difference.relative.liquidations)}, repaid ${relative(difference.relative.repaidUsd)}, bad debt ${relative(difference.relative.badDebtUsd)}; ${formatCount(difference.onlyPredicted)} positions liquidated only by model v1, ${formatCount(difference.onlyRealized)} only on chain.`,
  ];
}
