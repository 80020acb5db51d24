/**
 * A real Redis for tests: starts `redis-server` on a free loopback port with no persistence in its
 * own temporary directory, or uses `REDIS_URL` when given. A shared Redis from `REDIS_URL` is never
 * flushed: tests namespace their keys with `prefix` and `stop()` deletes only those keys.
 * `startOwnRedisServer` always starts its own, optionally with an append-only file, and can kill
 * it (SIGKILL) and start it again on the same port, with its data or empty.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";

export interface TestRedis {
  /** `redis://127.0.0.1:PORT` (or the given `REDIS_URL`). */
  readonly url: string;
  /** A key/queue prefix unique to this test run; use it for BullMQ `prefix` and store keys. */
  readonly prefix: string;
  /** True when this helper started the server (then it is stopped, else only `prefix` keys are deleted). */
  readonly owned: boolean;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1, found by binding port 0 and releasing it. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPing(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    // Refused connections while the server starts are expected; they surface through connect().
    client.on("error", () => undefined);
    try {
      await client.connect();
      if ((await client.ping()) === "PONG") return;
    } catch (error) {
      lastError = error;
    } finally {
      client.disconnect();
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not answer PING within ${timeoutMs} ms`, { cause: lastError });
}

async function deleteByPrefix(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
}

export interface OwnRedis extends TestRedis {
  readonly port: number;
  /** SIGKILL: no shutdown save, as a crash or an OOM kill. */
  kill(): Promise<void>;
  /** Starts it again on the same port: with what it persisted, or `empty` (a new data directory). */
  restart(options?: { empty?: boolean }): Promise<void>;
}

/** A Redis this test owns (never `REDIS_URL`): `appendOnly` persists every write (appendfsync always). */
export async function startOwnRedisServer(options: { appendOnly?: boolean } = {}): Promise<OwnRedis> {
  const prefix = `cmtest-${randomBytes(6).toString("hex")}`;
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const dirs: string[] = [];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const launch = async (dir: string) => {
    const persistence =
      options.appendOnly === true
        ? ["--appendonly", "yes", "--appendfsync", "always", "--save", ""]
        : ["--appendonly", "no", "--save", ""];
    const proc = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", ...persistence, "--dir", dir],
      { stdio: "ignore" },
    );
    child = proc;
    exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    await waitForPing(url, 10_000);
  };
  const newDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), "cascade-redis-"));
    dirs.push(dir);
    return dir;
  };
  await launch(await newDir());
  const kill = async () => {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
  };
  return {
    url,
    prefix,
    owned: true,
    port,
    kill,
    restart: async (restartOptions = {}) => {
      await kill();
      await launch(restartOptions.empty === true ? await newDir() : (dirs.at(-1) ?? (await newDir())));
    },
    stop: async () => {
      await kill();
      for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Starts (or borrows, via `REDIS_URL`) a Redis for one test file. */
export async function startRedisServer(): Promise<TestRedis> {
  const prefix = `cmtest-${randomBytes(6).toString("hex")}`;
  const external = process.env.REDIS_URL;
  if (external !== undefined && external !== "") {
    await waitForPing(external, 10_000);
    return { url: external, prefix, owned: false, stop: () => deleteByPrefix(external, prefix) };
  }
  const dir = await mkdtemp(join(tmpdir(), "cascade-redis-"));
  const port = await freePort();
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
    { stdio: "ignore" },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `redis://127.0.0.1:${port}`;
  try {
    await waitForPing(url, 10_000);
  } catch (error) {
    child.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    prefix,
    owned: true,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
