/** `cascade-monitor simulate`: one cascade simulation of a snapshot file. */
import type { Command } from "commander";
import { loadBookWithOverrides } from "../app/loadSnapshotWithOverrides.js";
import { parseShockSpec, requireKnownShockAssets } from "../app/parseShockSpec.js";
import { runSimulation } from "../app/runSimulation.js";
import { collect, writeJson, writeLines } from "./format/commandIo.js";
import { formatCascadeReport } from "./format/formatCascadeReport.js";
import { parseIntegerOption, parseMaxRoundsOption } from "./format/parseNumberOption.js";
import type { CliIo } from "./io.js";

interface SimulateOptions {
  snapshot: string;
  shock: string[];
  maxRounds?: string;
  top: string;
  override?: string[];
  json?: boolean;
}

export function registerSimulateCommand(program: Command, io: CliIo): void {
  program
    .command("simulate")
    .description("Simulate a price shock on a snapshot: rounds of liquidations, their sales, the next round.")
    .requiredOption("--snapshot <file>", "cascade-snapshot/1 or /2 file (JSON or Arrow)")
    .requiredOption(
      "--shock <ASSET=FRACTION,...>",
      "price moves, e.g. WETH=-0.2 or WETH=-20%,WBTC=-0.1 (above -1; repeatable)",
      collect,
    )
    .option("--max-rounds <n>", "stop after this many rounds (default 50)")
    .option(
      "--override <market:field=value>",
      "change a risk parameter before simulating, e.g. 'aave-v3:1:0x…:WETH.liquidationThreshold=0.8' (repeatable)",
      collect,
    )
    .option("--top <n>", "rows of the top-positions table", "10")
    .option("--json", "print exactly the cascade-report/2 document on stdout")
    .showHelpAfterError(false)
    .action(async (options: SimulateOptions) => {
      const shock = parseShockSpec(options.shock);
      const maxRounds = parseMaxRoundsOption(options.maxRounds);
      const top = parseIntegerOption("--top", options.top, 0);
      const { snapshot, book } = await loadBookWithOverrides(options.snapshot, options.override);
      requireKnownShockAssets(
        shock,
        snapshot.assets.map((a) => a.id),
      );
      const report = runSimulation({
        snapshot,
        book,
        shock,
        ...(maxRounds === undefined ? {} : { maxRounds }),
      });
      if (options.json === true) writeJson(io, report);
      else writeLines(io, formatCascadeReport(report, { top }));
    });
}
