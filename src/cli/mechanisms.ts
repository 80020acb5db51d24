/** `cascade-monitor mechanisms`: one book and shock under each liquidation mechanism, side by side. */
import type { Command } from "commander";
import { loadSnapshotWithOverrides } from "../app/loadSnapshotWithOverrides.js";
import { parseShockSpec, requireKnownShockAssets } from "../app/parseShockSpec.js";
import { compareMechanisms, type MechanismComparison } from "../core/risk/compareMechanisms.js";
import type { AaveV4Engine } from "../core/risk/liquidationMechanisms.js";
import { collect, writeJson, writeLines } from "./format/commandIo.js";
import { formatCount, formatPercent, formatUsd } from "./format/formatNumbers.js";
import { parseMaxRoundsOption, parseNumberOption } from "./format/parseNumberOption.js";
import { renderTextTable } from "./format/renderTextTable.js";
import type { CliIo } from "./io.js";

interface MechanismsOptions {
  snapshot: string;
  shock: string[];
  maxRounds?: string;
  override?: string[];
  v4TargetHealthFactor?: string;
  v4HealthFactorForMaxBonus?: string;
  v4LiquidationBonusFactor?: string;
  json?: boolean;
}

/** The `--v4-…` options that are given. */
function v4EngineOption(options: MechanismsOptions): Partial<AaveV4Engine> {
  const {
    v4TargetHealthFactor: target,
    v4HealthFactorForMaxBonus: forMax,
    v4LiquidationBonusFactor: factor,
  } = options;
  return {
    ...(target === undefined
      ? {}
      : { targetHealthFactor: parseNumberOption("--v4-target-health-factor", target) }),
    ...(forMax === undefined
      ? {}
      : { healthFactorForMaxBonus: parseNumberOption("--v4-health-factor-for-max-bonus", forMax) }),
    ...(factor === undefined
      ? {}
      : { liquidationBonusFactor: parseNumberOption("--v4-liquidation-bonus-factor", factor) }),
  };
}

export function formatMechanismComparison(comparison: MechanismComparison): string[] {
  const assets = Object.keys(comparison.shock);
  return [
    `Shock ${assets.map((a) => `${a} ${formatPercent(comparison.shock[a]!)}`).join(", ")}, the same positions under each mechanism`,
    "",
    ...renderTextTable(
      [
        { header: "mechanism" },
        { header: "liquidations", right: true },
        { header: "repaid", right: true },
        { header: "sold", right: true },
        ...assets.map((a) => ({ header: `${a} final`, right: true })),
        { header: "amplification", right: true },
        { header: "bad debt", right: true },
        { header: "stranded", right: true },
        { header: "rounds", right: true },
      ],
      comparison.mechanisms.map((m) => [
        m.mechanism,
        formatCount(m.liquidations),
        formatUsd(m.repaidUsd),
        formatUsd(m.soldUsd),
        ...assets.map((a) => formatPercent(m.finalPriceChange[a] ?? 0)),
        Object.values(m.amplification)
          .map((x) => x.toFixed(3))
          .join(", ") || "-",
        formatUsd(m.badDebtUsd),
        formatUsd(m.strandedDebtUsd),
        `${m.rounds}${m.converged ? "" : "+"}`,
      ]),
    ),
    "",
    ...comparison.mechanisms.map((m) => `${m.mechanism}: ${m.description}`),
    "Compound V3 markets keep their absorb under every mechanism.",
  ];
}

export function registerMechanismsCommand(program: Command, io: CliIo): void {
  program
    .command("mechanisms")
    .description("The same book and shock under each liquidation mechanism the model knows, side by side.")
    .requiredOption("--snapshot <file>", "cascade-snapshot file (JSON or Arrow)")
    .requiredOption("--shock <ASSET=FRACTION,...>", "price moves, e.g. WETH=-0.2 (repeatable)", collect)
    .option("--max-rounds <n>", "stop each simulation after this many rounds (default 50)")
    .option(
      "--override <market:field=value>",
      "change a risk parameter before comparing (repeatable)",
      collect,
    )
    .option(
      "--v4-target-health-factor <x>",
      "under aave-v4, markets that are not V4 repay to this health factor (default: the first V4 spoke's, else 1.05)",
    )
    .option(
      "--v4-health-factor-for-max-bonus <x>",
      "under aave-v4, the health factor at and below which they pay the maximum bonus (default: the first V4 spoke's, else 0.85)",
    )
    .option(
      "--v4-liquidation-bonus-factor <x>",
      "under aave-v4, the share of their maximum bonus paid at health factor 1 (default: the first V4 spoke's, else 0.8)",
    )
    .option(
      "--json",
      'print {"shock", "mechanisms": [{mechanism, liquidations, repaidUsd, soldUsd, badDebtUsd, …}]}',
    )
    .showHelpAfterError(false)
    .action(async (options: MechanismsOptions) => {
      const shock = parseShockSpec(options.shock);
      const maxRounds = parseMaxRoundsOption(options.maxRounds);
      const snapshot = await loadSnapshotWithOverrides(options.snapshot, options.override);
      requireKnownShockAssets(
        shock,
        snapshot.assets.map((a) => a.id),
      );
      const comparison = compareMechanisms(snapshot, shock, {
        ...(maxRounds === undefined ? {} : { maxRounds }),
        v4Engine: v4EngineOption(options),
      });
      if (options.json === true) writeJson(io, comparison);
      else writeLines(io, formatMechanismComparison(comparison));
    });
}
