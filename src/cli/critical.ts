/** `cascade-monitor critical`: the smallest drop of an asset that starts a cascade, and that makes bad debt. */
import type { Command } from "commander";
import { loadBookWithOverrides } from "../app/loadSnapshotWithOverrides.js";
import { requireKnownAsset } from "../app/requireKnownAsset.js";
import { runCriticalShock } from "../app/runCriticalShock.js";
import { collect, writeJson, writeLines } from "./format/commandIo.js";
import { formatCriticalShock } from "./format/formatCriticalShock.js";
import { parseMaxRoundsOption } from "./format/parseNumberOption.js";
import type { CliIo } from "./io.js";

interface CriticalOptions {
  snapshot: string;
  asset: string;
  maxRounds?: string;
  override?: string[];
  json?: boolean;
}

export function registerCriticalCommand(program: Command, io: CliIo): void {
  program
    .command("critical")
    .description(
      "Critical shock of one asset: a 1% grid scanned to -99%, the first step that cascades (two or more " +
        "rounds with liquidations) bisected to 0.01%; the same for the first bad debt.",
    )
    .requiredOption("--snapshot <file>", "cascade-snapshot/1 or /2 file (JSON or Arrow)")
    .requiredOption("--asset <id>", "asset to shock, e.g. WETH")
    .option("--max-rounds <n>", "stop each simulation after this many rounds (default 50)")
    .option(
      "--override <market:field=value>",
      "change a risk parameter before simulating (repeatable)",
      collect,
    )
    .option("--json", 'print {"asset", "criticalShock", "badDebtShock"} on stdout (null when not reached)')
    .showHelpAfterError(false)
    .action(async (options: CriticalOptions) => {
      const maxRounds = parseMaxRoundsOption(options.maxRounds);
      const { snapshot, book } = await loadBookWithOverrides(options.snapshot, options.override);
      const { priceUsd } = requireKnownAsset("--asset", options.asset, snapshot);
      const critical = runCriticalShock({
        snapshot,
        book,
        asset: options.asset,
        ...(maxRounds === undefined ? {} : { maxRounds }),
      });
      if (options.json === true) writeJson(io, critical);
      else writeLines(io, formatCriticalShock(critical, priceUsd));
    });
}
