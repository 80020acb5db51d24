/** `cascade-monitor recommend`: the most permissive value of a risk parameter that meets a VaR objective. */
import type { Command } from "commander";
import { loadSnapshotWithOverrides } from "../app/loadSnapshotWithOverrides.js";
import { createPathPool } from "../app/risk/pathPool.js";
import { type RecommendationReport, runRecommendation } from "../app/risk/runRecommendation.js";
import { UserInputError } from "../core/errors.js";
import { buildReturnModel } from "../core/risk/buildReturnModel.js";
import { parseObjective } from "../core/risk/objective.js";
import { collect, writeJson, writeLines } from "./format/commandIo.js";
import { formatUsd, shortenId } from "./format/formatNumbers.js";
import { parseIntegerOption, parseMaxRoundsOption, parseNumberOption } from "./format/parseNumberOption.js";
import { renderTextTable } from "./format/renderTextTable.js";
import {
  addReturnModelOptions,
  monteCarloSettings,
  type ReturnModelOptions,
} from "./format/returnModelOptions.js";
import type { CliIo } from "./io.js";

interface RecommendOptions extends ReturnModelOptions {
  snapshot: string;
  market: string;
  asset?: string;
  param: string;
  objective: string;
  range?: string;
  points: string;
  tolerance: string;
  positions: string;
  maxRounds?: string;
  override?: string[];
  json?: boolean;
}

function formatRecommendation(r: RecommendationReport): string[] {
  const name = `${r.parameter.param} of ${shortenId(r.parameter.market)}${r.parameter.asset === undefined ? "" : ` ${r.parameter.asset}`}`;
  return [
    r.recommended === null
      ? `No value of ${name} in [${r.range.strict}, ${r.range.permissive}] meets ${r.objective}.`
      : `Recommended ${name}: ${r.recommended} (the most permissive value meeting ${r.objective}, to ${r.resolution.toPrecision(2)}); now ${r.atCurrent.value} (${formatUsd(r.atCurrent.objective)}, ${r.atCurrent.meets ? "meets" : "fails"}).`,
    `${r.pathCount} VaR paths over ${r.horizonHours} h, seed ${r.seed}, the same paths at every value; borrowers ${r.positions === "keep-health" ? "keep their health factor" : "keep their positions"}.`,
    r.monotone
      ? "The objective rises monotonically as the parameter gets more permissive: the bisection is sound."
      : `Not monotone: the objective falls between ${r.violations.map((v) => `${v.from} and ${v.to}`).join(", ")}; the answer is the end of the passing run from the strict end.`,
    "",
    ...renderTextTable(
      [
        { header: r.parameter.param, right: true },
        { header: r.objective.replace(/\s*<.*$/, ""), right: true },
        { header: "meets" },
      ],
      [...r.curve, ...r.bisection]
        .sort((a, b) => (a.value - b.value) * (r.range.permissive > r.range.strict ? 1 : -1))
        .map((p) => [String(p.value), formatUsd(p.objective), p.meets ? "yes" : "no"]),
    ),
  ];
}

export function registerRecommendCommand(program: Command, io: CliIo): void {
  const command = program
    .command("recommend")
    .description(
      "The most permissive value of a risk parameter that still meets a VaR objective, with the objective's curve over the range.",
    )
    .requiredOption("--snapshot <file>", "cascade-snapshot file (JSON or Arrow)")
    .requiredOption("--market <id>", "market id, e.g. morpho-blue:1:0xb323…")
    .option("--asset <id>", "reserve or collateral (Aave eMode: emode.<id>); not for lltv")
    .requiredOption(
      "--param <name>",
      "liquidationThreshold | liquidationBonus (aave-v3), lltv (morpho-blue), liquidateCollateralFactor | liquidationFactor (compound-v3)",
    )
    .requiredOption(
      "--objective <text>",
      "e.g. 'var99.badDebtUsd<=1e6' (mean|p95|p99|var95|var99|es99 . badDebtUsd|liquidatedDebtUsd|strandedDebtUsd)",
    )
    .option(
      "--range <strict:permissive>",
      "search range, strict end first (default per parameter, e.g. 0.5:0.98)",
    )
    .option("--points <n>", "grid points of the curve", "11")
    .option("--tolerance <x>", "bisect until the bracket is this narrow", "0.001")
    .option("--positions <mode>", "keep-health (borrowers keep their health factor) or fixed", "keep-health");
  addReturnModelOptions(command, "500")
    .option("--max-rounds <n>", "stop each simulation after this many rounds (default 50)")
    .option("--override <market:field=value>", "change other risk parameters first (repeatable)", collect)
    .option("--json", "print one cascade-recommendation/1 document")
    .showHelpAfterError(false)
    .action(async (options: RecommendOptions) => {
      const objective = parseObjective(options.objective);
      const maxRounds = parseMaxRoundsOption(options.maxRounds);
      const points = parseIntegerOption("--points", options.points, 2);
      const tolerance = parseNumberOption("--tolerance", options.tolerance);
      if (options.positions !== "keep-health" && options.positions !== "fixed")
        throw new UserInputError(`--positions ${options.positions}: expected keep-health or fixed`);
      let range: [number, number] | undefined;
      if (options.range !== undefined) {
        const [a, b, ...rest] = options.range.split(":");
        if (a === undefined || b === undefined || rest.length > 0)
          throw new UserInputError(`--range ${options.range}: expected strict:permissive, e.g. 0.5:0.98`);
        range = [parseNumberOption("--range", a), parseNumberOption("--range", b)];
      }
      const settings = await monteCarloSettings(options, 500);
      const snapshot = await loadSnapshotWithOverrides(options.snapshot, options.override);
      const pool = settings.threads === 1 ? undefined : createPathPool(settings.threads);
      const overrides = options.override ?? [];
      const source =
        pool === undefined
          ? { kind: "snapshot" as const, snapshot, overrides: [], key: "cli" }
          : { kind: "file" as const, path: options.snapshot, overrides, key: options.snapshot };
      try {
        const report = await runRecommendation({
          source,
          snapshot,
          parameter: {
            market: options.market,
            param: options.param,
            ...(options.asset === undefined ? {} : { asset: options.asset }),
          },
          objective,
          run: {
            model: buildReturnModel(snapshot, settings.spec),
            horizonHours: settings.horizonHours,
            pathCount: settings.pathCount,
            seed: settings.seed,
            ...(maxRounds === undefined ? {} : { maxRounds }),
          },
          points,
          tolerance,
          positions: options.positions,
          ...(range === undefined ? {} : { range }),
          ...(pool === undefined ? {} : { pool }),
        });
        if (options.json === true) writeJson(io, report);
        else writeLines(io, formatRecommendation(report));
      } finally {
        await pool?.close();
      }
    });
}
