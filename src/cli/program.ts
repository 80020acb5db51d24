/**
 * Builds the `cascade-monitor` command line. Each command lives in its own file and
 * registers itself here with one line.
 */
import { Command } from "commander";
import { LOG_FORMATS, LOG_LEVELS } from "./cliLogger.js";
import { registerClusteringCommand } from "./clustering.js";
import { registerCriticalCommand } from "./critical.js";
import { registerCurveCommand } from "./curve.js";
import { registerDevnetCommand } from "./devnet.js";
import { registerDriversCommand } from "./drivers.js";
import { registerGraphCommand } from "./graph.js";
import type { CliIo } from "./io.js";
import { registerMechanismsCommand } from "./mechanisms.js";
import { registerRecommendCommand } from "./recommend.js";
import { registerReplayCommand } from "./replay.js";
import { registerSimulateCommand } from "./simulate.js";
import { registerSnapshotCommand } from "./snapshot.js";
import { registerStartCommand } from "./start.js";
import { registerValidateCommand } from "./validate.js";
import { registerVarCommand } from "./var.js";

export function buildProgram(io: CliIo): Command {
  const program = new Command("cascade-monitor")
    .description("Predicts which DeFi borrow positions would fall in a liquidation cascade.")
    .version("0.1.0")
    .option(
      "--log-format <format>",
      `logs of start, devnet and validate: ${LOG_FORMATS.join(" or ")} (default: pretty on a terminal, else json)`,
    )
    .option("--log-level <level>", `${LOG_LEVELS.join(", ")} (default info)`)
    .showHelpAfterError()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride();
  // Commands register here, one line each, in the order `--help` lists them.
  registerStartCommand(program, io);
  registerSnapshotCommand(program, io);
  registerSimulateCommand(program, io);
  registerCurveCommand(program, io);
  registerCriticalCommand(program, io);
  registerGraphCommand(program, io);
  registerVarCommand(program, io);
  registerRecommendCommand(program, io);
  registerMechanismsCommand(program, io);
  registerDriversCommand(program, io);
  registerClusteringCommand(program, io);
  registerReplayCommand(program, io);
  registerValidateCommand(program, io);
  registerDevnetCommand(program, io);
  return program;
}
