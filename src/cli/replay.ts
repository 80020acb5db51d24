/** `cascade-monitor replay`: a price path (CSV) applied step by step, the cascade running between steps. */
import type { Command } from "commander";
import { loadSnapshotWithOverrides } from "../app/loadSnapshotWithOverrides.js";
import { loadPricePathCsv } from "../app/risk/parsePricePathCsv.js";
import { type PricePathReplay, replayPricePath } from "../core/risk/replayPricePath.js";
import { collect, writeJson, writeLines } from "./format/commandIo.js";
import { formatCount, formatPercent, formatPrice, formatUsd } from "./format/formatNumbers.js";
import { parseMaxRoundsOption } from "./format/parseNumberOption.js";
import { renderTextTable } from "./format/renderTextTable.js";
import type { CliIo } from "./io.js";

interface ReplayOptions {
  snapshot: string;
  prices: string;
  maxRounds?: string;
  override?: string[];
  json?: boolean;
}

export function formatReplay(r: PricePathReplay): string[] {
  const assets = Object.keys(r.steps[0]?.shock ?? {});
  return [
    ...renderTextTable(
      [
        { header: "step" },
        ...assets.map((a) => ({ header: `${a} move`, right: true })),
        ...assets.map((a) => ({ header: `${a} after`, right: true })),
        { header: "liquidations", right: true },
        { header: "repaid", right: true },
        { header: "bad debt", right: true },
        { header: "rounds", right: true },
      ],
      r.steps.map((s) => [
        s.timestamp,
        ...assets.map((a) => formatPercent(s.shock[a] ?? 0)),
        ...assets.map((a) => formatPrice(s.prices[a] ?? 0)),
        formatCount(s.liquidations),
        formatUsd(s.repaidUsd),
        formatUsd(s.badDebtUsd),
        String(s.rounds),
      ]),
    ),
    "",
    `Total: ${formatCount(r.totals.liquidations)} liquidations, ${formatUsd(r.totals.repaidUsd)} repaid, ${formatUsd(r.totals.badDebtUsd)} bad debt; ${formatUsd(r.totals.strandedDebtUsd)} stranded at the end; ${formatCount(r.totals.positionsLeft)} positions left.`,
  ];
}

export function registerReplayCommand(program: Command, io: CliIo): void {
  program
    .command("replay")
    .description(
      "Replay a price path (CSV: timestamp,<asset>,…) step by step, the cascade running after each move.",
    )
    .requiredOption("--snapshot <file>", "cascade-snapshot file (JSON or Arrow)")
    .requiredOption("--prices <file>", "price path CSV, e.g. config/replay/eth-crash.example.csv")
    .option("--max-rounds <n>", "stop each step's simulation after this many rounds (default 50)")
    .option("--override <market:field=value>", "change a risk parameter first (repeatable)", collect)
    .option(
      "--json",
      'print {"steps": [{timestamp, shock, liquidations, repaidUsd, badDebtUsd, …}], "totals"}',
    )
    .showHelpAfterError(false)
    .action(async (options: ReplayOptions) => {
      const maxRounds = parseMaxRoundsOption(options.maxRounds);
      const path = await loadPricePathCsv(options.prices);
      const snapshot = await loadSnapshotWithOverrides(options.snapshot, options.override);
      const replay = replayPricePath(snapshot, path, maxRounds === undefined ? {} : { maxRounds });
      if (options.json === true) writeJson(io, replay);
      else writeLines(io, formatReplay(replay));
    });
}
