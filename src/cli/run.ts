/**
 * Runs the CLI and maps failures to exit codes: 0 success, 1 unexpected failure,
 * 2 bad input (one line on stderr, never a stack trace for a user error).
 */
import { CommanderError } from "commander";
import { redactUrls } from "../adapters/chain/redactUrls.js";
import { isCascadeError } from "../core/errors.js";
import type { CliIo } from "./io.js";
import { writeLine } from "./io.js";
import { buildProgram } from "./program.js";

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are "errors" to commander; they already printed what the user asked for.
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return EXIT_OK;
      if (error.code === "commander.help") return EXIT_OK;
      return EXIT_USAGE;
    }
    // One line, URLs redacted (an RPC or webhook URL may carry a key), never a stack trace.
    if (isCascadeError(error) && !error.retryable && error.code !== "FATAL") {
      writeLine(io.stderr, `error: ${redactUrls(error.message)}`);
      return EXIT_USAGE;
    }
    if (isCascadeError(error)) {
      writeLine(io.stderr, `error: ${redactUrls(error.message)}`);
      return EXIT_FAILURE;
    }
    writeLine(io.stderr, `unexpected error: ${oneLine(error)}`);
    return EXIT_FAILURE;
  }
}

/** The first line of an unexpected error's message, with its name, URLs redacted. */
function oneLine(error: unknown): string {
  if (!(error instanceof Error)) return redactUrls(String(error)).slice(0, 500);
  const shortMessage = (error as Error & { shortMessage?: unknown }).shortMessage;
  const text = typeof shortMessage === "string" ? shortMessage : (error.message.split("\n")[0] ?? "");
  return redactUrls(`${error.name}: ${text}`).slice(0, 500);
}
