/**
 * `cascade-monitor start [--config FILE] [--port P] [--host H] [--role ROLE] [--checkpoint FILE]`:
 * runs the monitor until SIGINT/SIGTERM. With no config it starts the embedded devnet and monitors
 * it; with `REDIS_URL` set it runs its role of the distributed pipeline, else everything in one
 * process. Exit codes: 0 stopped cleanly, 1 failed or had to abandon work at the grace timeout,
 * 2 bad flags or config.
 */
import type { Command } from "commander";
import { DAEMON_ROLES, type DaemonRole } from "../app/daemon/daemonRole.js";
import { DEVNET_DAEMON_SECTIONS } from "../app/daemon/devnetDaemonSections.js";
import { runDaemon } from "../app/daemon/runDaemon.js";
import { loadConfig, parseConfig } from "../config/loadConfig.js";
import type { CascadeConfig } from "../config/schema/configSchema.js";
import { FatalError, UserInputError } from "../core/errors.js";
import { DEFAULT_DEVNET_PROFILE, DEVNET_PROFILES, parseDevnetProfile } from "../devnet/devnetProfile.js";
import { createCliLogger, parseLogOptions } from "./cliLogger.js";
import { parseIntegerOption, parseNumberOption } from "./format/parseNumberOption.js";
import { type CliIo, writeLine } from "./io.js";

interface StartOptions {
  config?: string;
  port?: string;
  host?: string;
  role: string;
  /** A file, `false` for `--no-checkpoint`, absent for the default. */
  checkpoint?: string | boolean;
  profile: string;
  positions: string;
  seed: string;
  graceSeconds: string;
}

const DEFAULT_REDIS_PREFIX = "cascade-monitor";
/** Longer than any orchestrator waits between SIGTERM and SIGKILL. */
const MAX_GRACE_SECONDS = 3600;

/** `CASCADE_JOB_LOCK_SECONDS`: how long a job's lock lives (1 to 600 s); a dead worker's job is retaken after it. */
function jobLockMsFromEnv(text: string | undefined): number | undefined {
  if (text === undefined || text === "") return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 600)
    throw new UserInputError(`CASCADE_JOB_LOCK_SECONDS ${text}: expected 1 to 600 seconds`);
  return seconds * 1000;
}
/** Relative to the working directory; the indexers' checkpoints go beside it (`indexer/`). */
const DEFAULT_CHECKPOINT_FILE = ".cascade-monitor/checkpoint.json";

export function registerStartCommand(program: Command, io: CliIo): void {
  program
    .command("start")
    .description(
      "Run the monitor: sync, simulate the configured scenarios, serve metrics and the API, send alerts. " +
        "With no --config it starts the embedded devnet and monitors it. With REDIS_URL it runs as a distributed pipeline.",
    )
    .option("--config <file>", "config file (YAML or JSON); without it the embedded devnet is started")
    .option("--port <p>", "HTTP port for /metrics, probes and the API (default: server.port, 9464)")
    .option("--host <address>", "bind address (default: server.host, 127.0.0.1)")
    .option("--role <role>", `pipeline role with REDIS_URL: ${DAEMON_ROLES.join(", ")}`, "all")
    .option(
      "--checkpoint <file>",
      `single process with --config: checkpoint for warm restarts (default ${DEFAULT_CHECKPOINT_FILE})`,
    )
    .option("--no-checkpoint", "single process: keep no checkpoint")
    .option(
      "--profile <name>",
      `devnet only: the devnet's market, ${DEVNET_PROFILES.join(" or ")} (see cascade-monitor devnet --help)`,
      DEFAULT_DEVNET_PROFILE,
    )
    .option("--positions <n>", "devnet only: positions to seed", "200")
    .option("--seed <s>", "devnet only: seed of the position generator", "1")
    .option("--grace-seconds <s>", "how long in-flight jobs may take to finish on shutdown (0 to 3600)", "20")
    .showHelpAfterError(false)
    .action(async (options: StartOptions, command: Command) => {
      if (!(DAEMON_ROLES as readonly string[]).includes(options.role)) {
        throw new UserInputError(`--role ${options.role}: expected one of ${DAEMON_ROLES.join(", ")}`);
      }
      const role = options.role as DaemonRole;
      const port = options.port === undefined ? undefined : parseIntegerOption("--port", options.port, 0);
      if (port !== undefined && port > 65_535)
        throw new UserInputError(`--port ${options.port}: expected 0 to 65535`);
      const graceSeconds = parseNumberOption("--grace-seconds", options.graceSeconds);
      if (graceSeconds < 0 || graceSeconds > MAX_GRACE_SECONDS)
        throw new UserInputError(
          `--grace-seconds ${options.graceSeconds}: expected 0 to ${MAX_GRACE_SECONDS} seconds`,
        );
      const graceMs = graceSeconds * 1000;
      const jobLockMs = jobLockMsFromEnv(process.env.CASCADE_JOB_LOCK_SECONDS);
      const globals = command.optsWithGlobals<{ logFormat?: string; logLevel?: string }>();
      const logger = createCliLogger(
        parseLogOptions(globals.logFormat, globals.logLevel, io.stderr),
        io.stderr,
      );
      const redisUrl =
        process.env.REDIS_URL === undefined || process.env.REDIS_URL === ""
          ? undefined
          : process.env.REDIS_URL;

      let config: CascadeConfig;
      let stopDevnet: (() => Promise<void>) | undefined;
      if (options.config !== undefined) {
        config = await loadConfig(options.config, process.env, (message) => logger.warn({}, message));
      } else {
        if (role !== "all") {
          throw new UserInputError(
            `--role ${role}: needs --config; the embedded devnet runs every role in one process`,
          );
        }
        const { startDevnet } = await import("../devnet/startDevnet.js");
        const devnet = await startDevnet({
          profile: parseDevnetProfile(options.profile),
          positions: parseIntegerOption("--positions", options.positions, 0),
          seed: parseIntegerOption("--seed", options.seed, 0),
          log: (line) => logger.info({}, line),
        });
        stopDevnet = () => devnet.stop();
        logger.info(
          {
            rpcUrl: devnet.rpcUrl,
            chainId: devnet.chainId,
            profile: devnet.deployment.profile,
            positions: devnet.positions.length,
          },
          "embedded devnet started",
        );
        config = parseConfig({ ...devnet.config, ...DEVNET_DAEMON_SECTIONS }, process.env);
      }
      // The embedded devnet is a fresh chain each run: a checkpoint of an earlier one would be wrong.
      const checkpointFile =
        typeof options.checkpoint === "string"
          ? options.checkpoint
          : options.checkpoint === false || options.config === undefined
            ? undefined
            : DEFAULT_CHECKPOINT_FILE;
      try {
        const exit = await runDaemon({
          config,
          role,
          host: options.host ?? config.server.host,
          port: port ?? config.server.port,
          ...(redisUrl === undefined ? {} : { redisUrl }),
          redisPrefix: process.env.CASCADE_REDIS_PREFIX ?? DEFAULT_REDIS_PREFIX,
          ...(checkpointFile === undefined ? {} : { checkpointFile }),
          logger,
          signal: io.signal,
          graceMs,
          ...(jobLockMs === undefined ? {} : { jobLockMs }),
          onListening: (bound) => {
            const url = `http://${options.host ?? config.server.host}:${bound}`;
            writeLine(
              io.stdout,
              `monitor listening on ${url} (role ${role}): dashboard ${url}/, metrics ${url}/metrics`,
            );
          },
        });
        if (exit.forced)
          throw new FatalError(`stopped after the ${graceMs / 1000} s grace time with work unfinished`);
      } finally {
        await stopDevnet?.();
      }
    });
}
