/** `cascade-monitor drivers`: which positions, markets and assets drive the cascade of a shock. */
import type { Command } from "commander";
import { loadSnapshotWithOverrides } from "../app/loadSnapshotWithOverrides.js";
import { parseShockSpec, requireKnownShockAssets } from "../app/parseShockSpec.js";
import { type CascadeDrivers, cascadeDrivers, type DriverEffect } from "../core/risk/cascadeDrivers.js";
import { collect, writeJson, writeLines } from "./format/commandIo.js";
import { formatPercent, formatUsd, shortenId } from "./format/formatNumbers.js";
import { parseIntegerOption, parseMaxRoundsOption } from "./format/parseNumberOption.js";
import { renderTextTable } from "./format/renderTextTable.js";
import type { CliIo } from "./io.js";

interface DriversOptions {
  snapshot: string;
  shock: string[];
  top: string;
  maxRounds?: string;
  override?: string[];
  json?: boolean;
}

const effectColumns = [
  { header: "own liquidated", right: true },
  { header: "liquidated without", right: true },
  { header: "bad debt without", right: true },
  { header: "cascade removed", right: true },
  { header: "cross-protocol", right: true },
];
const effectCells = (e: DriverEffect): string[] => [
  formatUsd(e.ownLiquidatedDebtUsd),
  `${formatUsd(e.liquidatedDebtUsd)} (-${formatUsd(e.liquidatedDebtReductionUsd)})`,
  `${formatUsd(e.badDebtUsd)} (-${formatUsd(e.badDebtReductionUsd)})`,
  formatUsd(e.othersLiquidatedDebtReductionUsd),
  e.crossProtocolShare === null ? "-" : `${(e.crossProtocolShare * 100).toFixed(0)}%`,
];

export function formatCascadeDrivers(d: CascadeDrivers): string[] {
  return [
    `Shock ${Object.entries(d.shock)
      .map(([a, s]) => `${a} ${formatPercent(s)}`)
      .join(
        ", ",
      )}: ${d.baseline.liquidations} liquidations, ${formatUsd(d.baseline.liquidatedDebtUsd)} liquidated, ${formatUsd(d.baseline.badDebtUsd)} bad debt`,
    "",
    "Positions (the book without each)",
    ...renderTextTable(
      [{ header: "market" }, { header: "account" }, ...effectColumns],
      d.positions.map((e) => [shortenId(e.market), shortenId(e.account ?? ""), ...effectCells(e)]),
    ),
    "",
    "Markets (the book without each)",
    ...renderTextTable(
      [{ header: "market" }, ...effectColumns],
      d.markets.map((e) => [shortenId(e.market), ...effectCells(e)]),
    ),
    "",
    "Assets (collateral seized, at snapshot prices)",
    ...renderTextTable(
      [{ header: "asset" }, { header: "seized", right: true }, { header: "price change", right: true }],
      d.assets.map((a) => [a.asset, formatUsd(a.seizedUsd), formatPercent(a.priceChange)]),
    ),
    "",
    "cascade removed: liquidated debt of the other positions that goes away too; cross-protocol: its share in other protocols.",
  ];
}

export function registerDriversCommand(program: Command, io: CliIo): void {
  program
    .command("drivers")
    .description(
      "Systemic importance: the cascade of a shock without each top position and without each market, ranked.",
    )
    .requiredOption("--snapshot <file>", "cascade-snapshot file (JSON or Arrow)")
    .requiredOption("--shock <ASSET=FRACTION,...>", "price moves, e.g. WETH=-0.2 (repeatable)", collect)
    .option("--top <n>", "candidate positions: the largest liquidated debt in the scenario", "10")
    .option("--max-rounds <n>", "stop each simulation after this many rounds (default 50)")
    .option("--override <market:field=value>", "change a risk parameter first (repeatable)", collect)
    .option("--json", 'print {"shock", "baseline", "positions", "markets", "assets"}')
    .showHelpAfterError(false)
    .action(async (options: DriversOptions) => {
      const shock = parseShockSpec(options.shock);
      const top = parseIntegerOption("--top", options.top, 1);
      const maxRounds = parseMaxRoundsOption(options.maxRounds);
      const snapshot = await loadSnapshotWithOverrides(options.snapshot, options.override);
      requireKnownShockAssets(
        shock,
        snapshot.assets.map((a) => a.id),
      );
      const drivers = cascadeDrivers(snapshot, shock, {
        topPositions: top,
        ...(maxRounds === undefined ? {} : { maxRounds }),
      });
      if (options.json === true) writeJson(io, drivers);
      else writeLines(io, formatCascadeDrivers(drivers));
    });
}
