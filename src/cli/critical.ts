/** `cascade-monitor critical`: the smallest drop of an asset that starts a cascade, and that makes bad debt. */
import type { Command } from "commander";
import { loadSnapshotWithOverrides } from "../app/loadSnapshotWithOverrides.js";
import { requireKnownAsset } from "../app/requireKnownAsset.js";
import { runCriticalShock } from "../app/runCriticalShock.js";
import { UserInputError } from "../core/errors.js";
import { collect, writeJson, writeLines } from "./format/commandIo.js";
import { formatCriticalShock } from "./format/formatCriticalShock.js";
import { parseMaxRoundsOption, parseNumberOption } from "./format/parseNumberOption.js";
import type { CliIo } from "./io.js";

interface CriticalOptions {
  snapshot: string;
  asset: string;
  coarseStep: string;
  maxRounds?: string;
  override?: string[];
  json?: boolean;
}

export function registerCriticalCommand(program: Command, io: CliIo): void {
  program
    .command("critical")
    .description(
      "Critical shock of one asset: the smallest drop (to 0.01%) at which two or more rounds liquidate " +
        "(a cascade), and the smallest drop that creates bad debt.",
    )
    .requiredOption("--snapshot <file>", "cascade-snapshot/1 JSON file")
    .requiredOption("--asset <id>", "asset to shock, e.g. WETH")
    .option("--coarse-step <fraction>", "scan step before bisection; a narrower window can be missed", "0.02")
    .option("--max-rounds <n>", "stop each simulation after this many rounds (default 50)")
    .option(
      "--override <market:field=value>",
      "change a risk parameter before simulating (repeatable)",
      collect,
    )
    .option("--json", 'print {"asset", "criticalShock", "badDebtShock"} on stdout (null when not reached)')
    .showHelpAfterError(false)
    .action(async (options: CriticalOptions) => {
      const coarseStep = parseNumberOption("--coarse-step", options.coarseStep);
      if (!(coarseStep >= 0.0001 && coarseStep <= 0.99)) {
        throw new UserInputError(
          `--coarse-step ${options.coarseStep}: expected a fraction in [0.0001, 0.99], e.g. 0.02`,
        );
      }
      const maxRounds = parseMaxRoundsOption(options.maxRounds);
      const snapshot = await loadSnapshotWithOverrides(options.snapshot, options.override);
      const { priceUsd } = requireKnownAsset("--asset", options.asset, snapshot);
      const critical = runCriticalShock({
        snapshot,
        asset: options.asset,
        coarseStep,
        ...(maxRounds === undefined ? {} : { maxRounds }),
      });
      if (options.json === true) writeJson(io, critical);
      else writeLines(io, formatCriticalShock(critical, priceUsd));
    });
}
