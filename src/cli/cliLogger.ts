/**
 * The logger of the long-running commands, one format per stream: human-readable and coloured
 * (pino-pretty, one line per entry) when stderr is a terminal, JSON lines otherwise or with
 * `--log-format json`.
 */
import { type Logger, pino } from "pino";
import pretty from "pino-pretty";
import { UserInputError } from "../core/errors.js";

export const LOG_FORMATS = ["pretty", "json"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogOptions {
  readonly format: LogFormat;
  readonly level: LogLevel;
}

/** True when `stream` is a terminal (the pretty format and progress bars are for people). */
export function isTerminal(stream: NodeJS.WritableStream): boolean {
  return (stream as NodeJS.WriteStream).isTTY === true;
}

/** Reads `--log-format` and `--log-level`; without `--log-format`, pretty on a terminal, else JSON. */
export function parseLogOptions(
  format: string | undefined,
  level: string | undefined,
  stderr: NodeJS.WritableStream,
): LogOptions {
  const chosenFormat = format ?? (isTerminal(stderr) ? "pretty" : "json");
  if (!(LOG_FORMATS as readonly string[]).includes(chosenFormat))
    throw new UserInputError(`--log-format ${format}: expected one of ${LOG_FORMATS.join(", ")}`);
  const chosenLevel = level ?? "info";
  if (!(LOG_LEVELS as readonly string[]).includes(chosenLevel))
    throw new UserInputError(`--log-level ${level}: expected one of ${LOG_LEVELS.join(", ")}`);
  return { format: chosenFormat as LogFormat, level: chosenLevel as LogLevel };
}

export function createCliLogger(options: LogOptions, stderr: NodeJS.WritableStream): Logger {
  const base = { name: "cascade-monitor", level: options.level };
  if (options.format === "json") return pino(base, stderr);
  return pino(
    base,
    pretty({
      destination: stderr,
      colorize: isTerminal(stderr),
      sync: true,
      translateTime: "SYS:HH:MM:ss.l",
      singleLine: true,
      // An alert's message already lists its summaries; the whole objects are in the JSON format.
      ignore: "pid,hostname,name,alerts,group",
    }),
  );
}
