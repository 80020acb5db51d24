import { type ChildProcess, spawn } from "node:child_process";
import { FatalError, UserInputError } from "../../core/errors.js";
import { resolveAnvilBinary } from "./resolveAnvilBinary.js";

export interface StartAnvilOptions {
  /** Loopback port; 0 (default) lets the OS pick a free one. */
  port?: number;
  chainId?: number;
  /** Number of funded dev accounts anvil derives from its default mnemonic. */
  accounts?: number;
  /** Ether balance of each dev account (whole ether). */
  balanceEth?: number;
  /** Block gas limit; large by default so one `evm_mine` takes a whole seeding batch. */
  gasLimit?: bigint;
  /** Extra anvil flags (e.g. `--disable-code-size-limit`). */
  extraArgs?: readonly string[];
  /** Milliseconds to wait for the RPC to answer before giving up. */
  readyTimeoutMs?: number;
}

export interface AnvilInstance {
  readonly rpcUrl: string;
  readonly port: number;
  readonly pid: number;
  /** Stops anvil and waits for it to exit; calling it again is a no-op. */
  stop(): Promise<void>;
}

const LISTENING = /Listening on ([\d.]+):(\d+)/;

/**
 * Starts anvil on loopback with `--prune-history` (without it anvil writes every old state to disk
 * and never deletes it). The process dies with its owner: on `exit` it is killed synchronously, and
 * a tiny watchdog kills it if the owner is killed without running exit handlers (SIGKILL).
 */
export async function startAnvil(options: StartAnvilOptions = {}): Promise<AnvilInstance> {
  const args = [
    "--host",
    "127.0.0.1",
    "--port",
    String(options.port ?? 0),
    "--prune-history",
    "--chain-id",
    String(options.chainId ?? 31337),
    "--accounts",
    String(options.accounts ?? 10),
    "--balance",
    String(options.balanceEth ?? 1_000_000),
    "--gas-limit",
    String(options.gasLimit ?? 30_000_000_000n),
    ...(options.extraArgs ?? []),
  ];
  const child = spawn(resolveAnvilBinary(), args, { stdio: ["ignore", "pipe", "pipe"] });
  const pid = child.pid;
  if (pid === undefined) throw new FatalError("anvil: the process did not start");

  const killOnExit = (): void => {
    child.kill("SIGKILL");
  };
  process.once("exit", killOnExit);
  const watchdog = startWatchdog(process.pid, pid);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.removeListener("exit", killOnExit);
      watchdog?.kill("SIGKILL");
      await terminate(child);
    })();
    return stopping;
  };

  try {
    const port = await waitForListening(child, options.readyTimeoutMs ?? 15_000);
    const rpcUrl = `http://127.0.0.1:${port}`;
    await waitForRpc(rpcUrl, options.readyTimeoutMs ?? 15_000);
    return { rpcUrl, port, pid, stop };
  } catch (error) {
    await stop();
    if (options.port !== undefined && options.port !== 0 && /address already in use/i.test(String(error))) {
      throw new UserInputError(
        `port ${options.port} is already in use on 127.0.0.1 (choose another, or 0 for a free one)`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** Resolves with the port anvil prints once it listens; rejects if it exits first. */
function waitForListening(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => fail(`did not listen within ${timeoutMs} ms`), timeoutMs);
    const onStdout = (chunk: Buffer): void => {
      stdout += chunk.toString("utf8");
      const match = LISTENING.exec(stdout);
      if (match?.[2] !== undefined) {
        cleanup();
        resolve(Number(match[2]));
      }
    };
    const onStderr = (chunk: Buffer): void => {
      stderr = (stderr + chunk.toString("utf8")).slice(-2000);
    };
    const onExit = (code: number | null): void => fail(`exited with code ${code}: ${stderr.trim()}`);
    function cleanup(): void {
      clearTimeout(timer);
      child.stdout?.off("data", onStdout);
      child.off("exit", onExit);
      // Keep draining the pipes so anvil never blocks on a full stdout buffer.
      child.stdout?.resume();
      child.stderr?.resume();
    }
    function fail(reason: string): void {
      cleanup();
      reject(new FatalError(`anvil: ${reason}`));
    }
    child.stdout?.on("data", onStdout);
    child.stderr?.on("data", onStderr);
    child.once("exit", onExit);
  });
}

async function waitForRpc(rpcUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (response.ok) return;
    } catch {
      // Not accepting connections yet.
    }
    if (Date.now() > deadline) throw new FatalError(`anvil: RPC not ready within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** SIGTERM, then SIGKILL if anvil has not exited after 2 s. */
function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** A detached shell that kills anvil once the owner process is gone; it ends by itself when anvil does. */
function startWatchdog(ownerPid: number, anvilPid: number): ChildProcess | undefined {
  if (process.platform === "win32") return undefined;
  const script =
    'while kill -0 "$0" 2>/dev/null && kill -0 "$1" 2>/dev/null; do sleep 0.5; done; kill -9 "$1" 2>/dev/null';
  const watchdog = spawn("/bin/sh", ["-c", script, String(ownerPid), String(anvilPid)], {
    detached: true,
    stdio: "ignore",
  });
  watchdog.unref();
  return watchdog;
}
