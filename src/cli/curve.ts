/** `cascade-monitor curve`: repaid USD (round 1 and whole cascade) and bad debt over a grid of shocks. */
import type { Command } from "commander";
import { loadBookWithOverrides } from "../app/loadSnapshotWithOverrides.js";
import { requireKnownAsset } from "../app/requireKnownAsset.js";
import { runLiquidationCurve } from "../app/runLiquidationCurve.js";
import { SHOCK_MAX } from "../config/schema/scenarios.js";
import { UserInputError } from "../core/errors.js";
import { isTerminal } from "./cliLogger.js";
import { collect, writeJson, writeLines } from "./format/commandIo.js";
import { formatCurve } from "./format/formatCurve.js";
import { parseMaxRoundsOption, parseNumberOption } from "./format/parseNumberOption.js";
import type { CliIo } from "./io.js";
import { createProgress } from "./progress.js";

interface CurveOptions {
  snapshot: string;
  asset: string;
  from: string;
  to: string;
  step: string;
  maxRounds?: string;
  override?: string[];
  json?: boolean;
}

export function registerCurveCommand(program: Command, io: CliIo): void {
  program
    .command("curve")
    .description(
      "Liquidation curve of one asset: for each shock on a grid, USD repaid in round 1, in all rounds, and bad debt.",
    )
    .requiredOption("--snapshot <file>", "cascade-snapshot/1 or /2 file (JSON or Arrow)")
    .requiredOption("--asset <id>", "asset to shock, e.g. WETH")
    .option("--from <fraction>", "first shock of the grid", "0")
    .option("--to <fraction>", "last shock of the grid (above -1)", "-0.5")
    .option("--step <fraction>", "grid step, same sign as to - from", "-0.01")
    .option("--max-rounds <n>", "stop each simulation after this many rounds (default 50)")
    .option(
      "--override <market:field=value>",
      "change a risk parameter before simulating (repeatable)",
      collect,
    )
    .option(
      "--json",
      'print {"asset", "points": [{shock, directRepaidUsd, totalRepaidUsd, badDebtUsd}]} on stdout',
    )
    .showHelpAfterError(false)
    .action(async (options: CurveOptions) => {
      const from = parseNumberOption("--from", options.from);
      const to = parseNumberOption("--to", options.to);
      const step = parseNumberOption("--step", options.step);
      // The lower bound (above -1) is the curve's own check; a rise is bounded here.
      for (const [flag, value] of [
        ["--from", from],
        ["--to", to],
      ] as const)
        if (value > SHOCK_MAX)
          throw new UserInputError(`${flag} ${value}: at most ${SHOCK_MAX} (a doubling), e.g. -0.5`);
      const maxRounds = parseMaxRoundsOption(options.maxRounds);
      const { snapshot, book } = await loadBookWithOverrides(options.snapshot, options.override);
      const { priceUsd } = requireKnownAsset("--asset", options.asset, snapshot);
      const progress = createProgress(io.stderr, `curve ${options.asset}`, 1);
      let curve: ReturnType<typeof runLiquidationCurve>;
      try {
        curve = runLiquidationCurve({
          snapshot,
          book,
          asset: options.asset,
          from,
          to,
          step,
          ...(maxRounds === undefined ? {} : { maxRounds }),
          ...(isTerminal(io.stderr)
            ? { onProgress: (done: number, total: number) => progress.update("points", done, total) }
            : {}),
        });
      } finally {
        progress.done();
      }
      if (options.json === true) writeJson(io, curve);
      else writeLines(io, formatCurve(curve, priceUsd));
    });
}
