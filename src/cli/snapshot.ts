/**
 * `cascade-monitor snapshot --config FILE [--out FILE] [--format json|arrow]`: index everything the
 * config names, write a snapshot (JSON, the documented interchange, or the columnar Arrow file).
 */
import { writeFile } from "node:fs/promises";
import { type Command, Option } from "commander";
import { encodeArrowSnapshot } from "../adapters/snapshot/encodeArrowSnapshot.js";
import { createSync } from "../app/sync/createSync.js";
import { loadConfig } from "../config/loadConfig.js";
import { UserInputError } from "../core/errors.js";
import { parseSnapshot } from "../core/snapshot/parseSnapshot.js";
import type { CliIo } from "./io.js";
import { writeLine } from "./io.js";
import { createProgress } from "./progress.js";

interface SnapshotOptions {
  config: string;
  out?: string;
  format: "json" | "arrow";
}

export function registerSnapshotCommand(program: Command, io: CliIo): void {
  program
    .command("snapshot")
    .description(
      "Index every market the config names and write a snapshot, JSON or Arrow (stdout unless --out).",
    )
    .requiredOption(
      "--config <file>",
      "config file (YAML or JSON; the devnet's deployment file works as it is)",
    )
    .option("--out <file>", "write the snapshot here instead of stdout")
    .addOption(
      new Option(
        "--format <format>",
        "json (cascade-snapshot/2 text) or arrow (Apache Arrow IPC, docs/snapshot-formats.md)",
      )
        .choices(["json", "arrow"])
        .default("json"),
    )
    .showHelpAfterError(false)
    .action(async (options: SnapshotOptions) => {
      const started = performance.now();
      if (
        options.format === "arrow" &&
        options.out === undefined &&
        (io.stdout as { isTTY?: boolean }).isTTY === true
      )
        throw new UserInputError("--format arrow writes binary: give --out FILE or redirect stdout");
      const config = await loadConfig(options.config);
      // Two steps per market on a cold index: its log scan, then its accounts read.
      const progress = createProgress(io.stderr, "indexing", config.markets.length * 2);
      const sync = await createSync(config, {
        log: (line) =>
          /logs in blocks|accounts read/.test(line) ? progress.tick(line) : progress.update(line),
        signal: io.signal,
      });
      let snapshot: ReturnType<typeof parseSnapshot>;
      try {
        await sync.start();
        snapshot = parseSnapshot(sync.snapshot());
      } finally {
        progress.done();
        await sync.close();
      }
      const output =
        options.format === "arrow" ? encodeArrowSnapshot(snapshot) : `${JSON.stringify(snapshot, null, 2)}\n`;
      if (options.out === undefined) io.stdout.write(output);
      else await writeFile(options.out, output);
      const byProtocol = new Map<string, number>();
      const protocolOf = new Map(snapshot.markets.map((m) => [m.id, m.protocol]));
      for (const p of snapshot.positions)
        byProtocol.set(
          protocolOf.get(p.market) ?? "?",
          (byProtocol.get(protocolOf.get(p.market) ?? "?") ?? 0) + 1,
        );
      const blocks = Object.entries(snapshot.source.blocks)
        .map(([chain, block]) => `${chain}@${block}`)
        .join(", ");
      const seconds = (performance.now() - started) / 1000;
      writeLine(
        io.stderr,
        `snapshot: ${snapshot.positions.length} positions (${[...byProtocol].map(([p, n]) => `${p} ${n}`).join(", ") || "none"}), ` +
          `${snapshot.markets.length} markets, ${snapshot.assets.length} assets at ${blocks} in ${seconds.toFixed(1)} s` +
          (snapshot.source.staleMarkets.length > 0
            ? `; stale: ${snapshot.source.staleMarkets.join(", ")}`
            : "") +
          (options.out === undefined ? "" : ` → ${options.out}`),
      );
    });
}
