/** `cascade-monitor var`: Monte Carlo value-at-risk and liquidations-at-risk of a snapshot file. */
import type { Command } from "commander";
import { loadSnapshotWithOverrides } from "../app/loadSnapshotWithOverrides.js";
import { createPathPool } from "../app/risk/pathPool.js";
import { runValueAtRisk } from "../app/risk/runValueAtRisk.js";
import { buildReturnModel } from "../core/risk/buildReturnModel.js";
import { collect, writeJson, writeLines } from "./format/commandIo.js";
import { formatValueAtRisk } from "./format/formatValueAtRisk.js";
import { parseIntegerOption, parseMaxRoundsOption } from "./format/parseNumberOption.js";
import {
  addReturnModelOptions,
  monteCarloSettings,
  type ReturnModelOptions,
} from "./format/returnModelOptions.js";
import type { CliIo } from "./io.js";
import { createProgress } from "./progress.js";

interface VarOptions extends ReturnModelOptions {
  snapshot: string;
  maxRounds?: string;
  override?: string[];
  top: string;
  json?: boolean;
}

export function registerVarCommand(program: Command, io: CliIo): void {
  const command = program
    .command("var")
    .description(
      "Monte Carlo VaR: bad, liquidated and stranded debt (mean, p95, p99, ES) over correlated price moves, each path a full cascade.",
    )
    .requiredOption("--snapshot <file>", "cascade-snapshot file (JSON or Arrow)");
  addReturnModelOptions(command, "1000")
    .option("--max-rounds <n>", "stop each simulation after this many rounds (default 50)")
    .option(
      "--override <market:field=value>",
      "change a risk parameter before simulating (repeatable)",
      collect,
    )
    .option("--top <n>", "rows of the market and worst-path tables", "10")
    .option(
      "--json",
      "print one cascade-var/1 document: statistics per measure, by protocol and market, and every path's {shock, totals}",
    )
    .showHelpAfterError(false)
    .action(async (options: VarOptions) => {
      const maxRounds = parseMaxRoundsOption(options.maxRounds);
      const top = parseIntegerOption("--top", options.top, 0);
      const settings = await monteCarloSettings(options, 1000);
      const snapshot = await loadSnapshotWithOverrides(options.snapshot, options.override);
      const run = {
        model: buildReturnModel(snapshot, settings.spec),
        horizonHours: settings.horizonHours,
        pathCount: settings.pathCount,
        seed: settings.seed,
        ...(maxRounds === undefined ? {} : { maxRounds }),
      };
      const source = {
        kind: "file" as const,
        path: options.snapshot,
        overrides: options.override ?? [],
        key: options.snapshot,
      };
      const pool = settings.threads === 1 ? undefined : createPathPool(settings.threads);
      // A bar on a terminal's stderr while the paths run; nothing when stderr is a pipe.
      const progress = createProgress(io.stderr, "paths", run.pathCount);
      try {
        const report = await runValueAtRisk(source, run, pool, (done, total) =>
          progress.update("simulated", done, total),
        );
        progress.done();
        if (options.json === true) writeJson(io, report);
        else writeLines(io, formatValueAtRisk(report, top));
      } finally {
        await pool?.close();
      }
    });
}
