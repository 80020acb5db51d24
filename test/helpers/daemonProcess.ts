/**
 * The real CLI as an operator runs it, in a child process: `cascade-monitor start` with a config
 * file and environment, its stdout and stderr lines collected, the bound port read from its
 * "monitor listening" line. Tests stop it with SIGTERM or kill it with SIGKILL mid-work.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../../src/main.ts", import.meta.url));

export interface DaemonExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly atMs: number;
}

export interface DaemonProcess {
  readonly process: ChildProcess;
  readonly stdout: string[];
  readonly stderr: string[];
  readonly exited: Promise<DaemonExitInfo>;
  /** Resolves the HTTP port once the daemon printed that it listens. */
  port(timeoutMs?: number): Promise<number>;
  /** Waits for a stderr line (a pino JSON line) that matches. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  get(path: string, timeoutMs?: number): Promise<{ status: number; body: string; ms: number }>;
  /** SIGKILL unless it has exited; resolves when it is gone. */
  kill(): Promise<DaemonExitInfo>;
}

export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function startDaemonProcess(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
): DaemonProcess {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN, "start", ...args], {
    env: { ...process.env, REDIS_URL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const collect = (into: string[]) => {
    let rest = "";
    return (chunk: string) => {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop() ?? "";
      into.push(...lines.filter((l) => l !== ""));
    };
  };
  child.stdout?.setEncoding("utf8").on("data", collect(stdout));
  child.stderr?.setEncoding("utf8").on("data", collect(stderr));
  const exited = new Promise<DaemonExitInfo>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal, atMs: Date.now() })),
  );
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const port = async (timeoutMs = 60_000) =>
    waitUntil(
      "the daemon to listen",
      () => {
        if (gone) throw new Error(`daemon exited before listening: ${stderr.join("\n")}`);
        const line = stdout.find((l) => l.startsWith("monitor listening on "));
        const match = line === undefined ? null : /:(\d+) \(role/.exec(line);
        return match === null ? undefined : Number(match[1]);
      },
      timeoutMs,
    );
  return {
    process: child,
    stdout,
    stderr,
    exited,
    port,
    waitForLog: (pattern, timeoutMs = 30_000) =>
      waitUntil(`a log line matching ${pattern}`, () => stderr.find((l) => pattern.test(l)), timeoutMs),
    async get(path, timeoutMs = 5000) {
      const p = await port();
      const started = Date.now();
      const res = await fetch(`http://127.0.0.1:${p}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
      const body = await res.text();
      return { status: res.status, body, ms: Date.now() - started };
    },
    async kill() {
      if (!gone) child.kill("SIGKILL");
      return exited;
    },
  };
}
