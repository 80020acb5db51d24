/** `cascade-monitor devnet`: starts the embedded devnet, writes its deployment file, runs until interrupted. */
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import { indexedTradeOrder } from "../app/indexedTradeOrder.js";
import { UserInputError } from "../core/errors.js";
import { crashFromDeploymentFile } from "../devnet/crash.js";
import { DEFAULT_DEVNET_PROFILE, parseDevnetProfile } from "../devnet/devnetProfile.js";
import { startDevnet } from "../devnet/startDevnet.js";
import { writeJson, writeLines } from "./format/commandIo.js";
import { formatCascadeReport } from "./format/formatCascadeReport.js";
import { parseIntegerOption } from "./format/parseNumberOption.js";
import { type CliIo, writeLine } from "./io.js";
import { createProgress } from "./progress.js";

interface DevnetOptions {
  profile: string;
  positions: string;
  seed: string;
  port?: string;
  out?: string;
  crash?: string[];
  deployment?: string;
  json?: boolean;
}

export function registerDevnetCommand(program: Command, io: CliIo): void {
  program
    .command("devnet")
    .description(
      "Start a local chain (anvil) with Aave V3.0, Aave V3.6, Morpho Blue and Uniswap pools, seed positions, " +
        "write the deployment file (a config that `snapshot --config` reads as it is), and run until interrupted.",
    )
    .option(
      "--profile <name>",
      "mainnet: Uniswap V3 pools, deviation feeds, wstETH's exchange-rate oracle, composed Morpho oracles, " +
        "a mainnet-shaped book; spot: every asset in a V2 pair against USDC, every oracle its pair's spot price",
      DEFAULT_DEVNET_PROFILE,
    )
    .option("--positions <n>", "positions to open across both Aave markets and Morpho", "200")
    .option("--seed <s>", "seed of the position generator (the same seed gives the same book)", "1")
    .option("--port <p>", "loopback port for the RPC (default: a free one)")
    .option("--out <file>", "write the deployment file (JSON) here")
    .option(
      "--crash <ASSET=FRACTION...>",
      "against a RUNNING devnet: sell into the asset's pool until its price moves by FRACTION (WETH=-0.3), run the liquidator, print the realized cascade",
    )
    .option("--deployment <file>", "with --crash: the running devnet's deployment file (default: --out)")
    .option("--json", "with --crash: print exactly the cascade-report/2 document on stdout")
    .showHelpAfterError(false)
    .action(async (options: DevnetOptions) => {
      if (options.crash !== undefined) {
        await crashRunningDevnet(options, options.crash, io);
        return;
      }
      const profile = parseDevnetProfile(options.profile);
      const positions = parseIntegerOption("--positions", options.positions, 0);
      const seed = parseIntegerOption("--seed", options.seed, 0);
      const port = options.port === undefined ? undefined : parseIntegerOption("--port", options.port, 1);
      if (port !== undefined && port > 65_535) {
        throw new UserInputError(`--port ${options.port}: expected a port between 1 and 65535`);
      }
      if (io.signal.aborted) return;
      // Two milestones: deployed, seeded.
      const progress = createProgress(io.stderr, "devnet", 2);
      const devnet = await startDevnet({
        profile,
        seed,
        positions,
        ...(port === undefined ? {} : { port }),
        log: (line) => progress.tick(line),
      }).finally(() => progress.done());
      try {
        if (options.out !== undefined) {
          const file = resolve(options.out);
          await mkdir(dirname(file), { recursive: true });
          // Written then renamed: a reader polling for the file never sees half of it.
          await writeFile(`${file}.tmp`, `${JSON.stringify(devnet.config, null, 2)}\n`);
          await rename(`${file}.tmp`, file);
          writeLine(io.stdout, `deployment file: ${file}`);
        }
        writeLine(io.stdout, `devnet RPC: ${devnet.rpcUrl} (chain ${devnet.chainId}, profile ${profile})`);
        writeLine(io.stdout, `seeded ${devnet.positions.length} positions (seed ${seed}); Ctrl-C stops it`);
        await new Promise<void>((done) => {
          if (io.signal.aborted) done();
          else io.signal.addEventListener("abort", () => done(), { once: true });
        });
      } finally {
        await devnet.stop();
        writeLine(io.stderr, "devnet stopped");
      }
    });
}

/** `devnet --crash …`: the shock and the liquidator against the devnet the deployment file describes. */
async function crashRunningDevnet(options: DevnetOptions, specs: string[], io: CliIo): Promise<void> {
  const file = options.deployment ?? options.out;
  if (file === undefined) {
    throw new UserInputError("--crash: give the running devnet's deployment file with --deployment FILE");
  }
  const run = await crashFromDeploymentFile({
    deploymentFile: resolve(file),
    specs,
    tradeOrderOf: (target) => indexedTradeOrder(target.mainnet.config),
  });
  if (options.json === true) writeJson(io, run.report);
  else writeLines(io, formatCascadeReport(run.report));
  for (const failure of run.failed) {
    writeLine(io.stderr, `liquidation reverted: round ${failure.round} ${failure.market} ${failure.account}`);
  }
}
