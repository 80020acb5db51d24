#!/usr/bin/env node
/** Entry point: the only place where the process, its signals and its streams are wired. */
import { runCli } from "./cli/run.js";

const controller = new AbortController();
let signals = 0;
const onSignal = (): void => {
  signals += 1;
  // A second signal means "now": leave without waiting for a graceful stop.
  if (signals > 1) process.exit(130);
  controller.abort();
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
});
process.exitCode = code;
