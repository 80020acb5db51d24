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

// A reader that closes early (`| head`) is not an error: stop quietly, as Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
});
process.exitCode = code;
// Whatever a library still holds open (a socket that will not close, a timer) must not keep a
// finished command alive: a second after it returned, the process leaves with its exit code.
setTimeout(() => process.exit(code), 1000).unref();
