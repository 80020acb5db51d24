/** `cascade-monitor graph`: exposure per asset, assets shared by markets, liquidation-price clustering. */
import type { Command } from "commander";
import { buildGraphOfSnapshot } from "../app/buildGraphOfSnapshot.js";
import { loadSnapshotWithOverrides } from "../app/loadSnapshotWithOverrides.js";
import { requireKnownAsset } from "../app/requireKnownAsset.js";
import { UserInputError } from "../core/errors.js";
import { collect, writeJson, writeLines } from "./format/commandIo.js";
import { formatCollateralGraph } from "./format/formatCollateralGraph.js";
import { parseNumberOption } from "./format/parseNumberOption.js";
import type { CliIo } from "./io.js";

interface GraphOptions {
  snapshot: string;
  asset?: string;
  step: string;
  override?: string[];
  json?: boolean;
}

export function registerGraphCommand(program: Command, io: CliIo): void {
  program
    .command("graph")
    .description(
      "Show the collateral graph of a snapshot: exposure per asset by protocol and market, assets shared " +
        "by several markets, follows links, and the prices at which collateral becomes liquidatable.",
    )
    .requiredOption("--snapshot <file>", "cascade-snapshot/1 or /2 file (JSON or Arrow)")
    .option("--asset <id>", "show this asset's liquidation prices level by level")
    .option("--step <fraction>", "width of a liquidation-price level, as a fraction of the price", "0.01")
    .option("--override <market:field=value>", "change a risk parameter first (repeatable)", collect)
    .option("--json", "print the whole graph as JSON on stdout")
    .showHelpAfterError(false)
    .action(async (options: GraphOptions) => {
      const step = parseNumberOption("--step", options.step);
      if (!(step > 0 && step <= 0.5))
        throw new UserInputError(`--step ${options.step}: expected a fraction in (0, 0.5], e.g. 0.01`);
      const snapshot = await loadSnapshotWithOverrides(options.snapshot, options.override);
      if (options.asset !== undefined) requireKnownAsset("--asset", options.asset, snapshot);
      const graph = buildGraphOfSnapshot({ snapshot, bucketStep: step });
      if (options.json === true) {
        const nodes =
          options.asset === undefined ? graph.assets : graph.assets.filter((n) => n.asset === options.asset);
        writeJson(io, { assets: nodes });
      } else
        writeLines(
          io,
          formatCollateralGraph(graph, options.asset === undefined ? {} : { asset: options.asset }),
        );
    });
}
