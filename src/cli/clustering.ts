/** `cascade-monitor clustering`: liquidation-price distribution of one asset, direct and with cascade. */
import type { Command } from "commander";
import { loadSnapshotWithOverrides } from "../app/loadSnapshotWithOverrides.js";
import { requireKnownAsset } from "../app/requireKnownAsset.js";
import { type LeverageClustering, leverageClustering } from "../core/risk/leverageClustering.js";
import { collect, writeJson, writeLines } from "./format/commandIo.js";
import { formatCount, formatPrice, formatUsd } from "./format/formatNumbers.js";
import { parseMaxRoundsOption, parseNumberOption } from "./format/parseNumberOption.js";
import { renderTextTable } from "./format/renderTextTable.js";
import type { CliIo } from "./io.js";

interface ClusteringOptions {
  snapshot: string;
  asset: string;
  step: string;
  to: string;
  maxRounds?: string;
  override?: string[];
  json?: boolean;
}

export function formatLeverageClustering(c: LeverageClustering): string[] {
  const bar = (debt: number, max: number) => "#".repeat(max > 0 ? Math.round((debt / max) * 30) : 0);
  const max = Math.max(...c.buckets.map((b) => Math.max(b.direct.debtUsd, b.cascade.debtUsd)), 0);
  return [
    `Debt liquidated as ${c.asset} ($${formatPrice(c.priceUsd)}) falls, directly (round 1) and with the cascade`,
    "",
    ...renderTextTable(
      [
        { header: "fall" },
        { header: `${c.asset} price`, right: true },
        { header: "direct", right: true },
        { header: "positions", right: true },
        { header: "with cascade", right: true },
        { header: "positions", right: true },
        { header: "" },
      ],
      c.buckets.map((b) => [
        `${(b.dropFrom * 100).toFixed(0)}-${(b.dropTo * 100).toFixed(0)}%`,
        `${formatPrice(b.priceFromUsd)}-${formatPrice(b.priceToUsd)}`,
        formatUsd(b.direct.debtUsd),
        formatCount(b.direct.positions),
        formatUsd(b.cascade.debtUsd),
        formatCount(b.cascade.positions),
        bar(b.cascade.debtUsd, max),
      ]),
    ),
    "",
    `Liquidatable now: ${formatCount(c.alreadyLiquidatable.direct.positions)} positions, ${formatUsd(c.alreadyLiquidatable.direct.debtUsd)}; not liquidated by a ${(c.maxDrop * 100).toFixed(0)}% fall: ${formatUsd(c.beyond.direct.debtUsd)} directly, ${formatUsd(c.beyond.cascade.debtUsd)} with the cascade.`,
  ];
}

export function registerClusteringCommand(program: Command, io: CliIo): void {
  program
    .command("clustering")
    .description(
      "Leverage clustering: debt liquidated per price bucket of one asset, directly and with the cascade.",
    )
    .requiredOption("--snapshot <file>", "cascade-snapshot file (JSON or Arrow)")
    .requiredOption("--asset <id>", "asset whose price falls, e.g. WETH")
    .option("--step <fraction>", "bucket width as a fraction of the price", "0.02")
    .option("--to <fraction>", "deepest fall, as a positive fraction (at most 0.99)", "0.5")
    .option("--max-rounds <n>", "stop each simulation after this many rounds (default 50)")
    .option("--override <market:field=value>", "change a risk parameter first (repeatable)", collect)
    .option("--json", 'print {"asset", "buckets": [{dropFrom, dropTo, direct, cascade}], …}')
    .showHelpAfterError(false)
    .action(async (options: ClusteringOptions) => {
      const step = parseNumberOption("--step", options.step);
      const maxDrop = parseNumberOption("--to", options.to);
      const maxRounds = parseMaxRoundsOption(options.maxRounds);
      const snapshot = await loadSnapshotWithOverrides(options.snapshot, options.override);
      requireKnownAsset("--asset", options.asset, snapshot);
      const clustering = leverageClustering(snapshot, options.asset, {
        step,
        maxDrop,
        ...(maxRounds === undefined ? {} : { maxRounds }),
      });
      if (options.json === true) writeJson(io, clustering);
      else writeLines(io, formatLeverageClustering(clustering));
    });
}
