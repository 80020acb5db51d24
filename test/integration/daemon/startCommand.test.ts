import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SnapshotSource } from "../../../src/app/daemon/daemonPorts.js";
import { runDaemon } from "../../../src/app/daemon/runDaemon.js";
import { runCli } from "../../../src/cli/run.js";
import { parseConfig } from "../../../src/config/loadConfig.js";
import { freePort } from "../../helpers/redisServer.js";
import { testBook } from "./bookFixture.js";

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const CHAIN = { id: 31337, name: "local", rpc: ["http://127.0.0.1:9"] };
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cm-start-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(argv: string[], redisUrl?: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let err = "";
  stderr.on("data", (c: Buffer) => {
    err += c.toString("utf8");
  });
  stdout.resume();
  const saved = process.env.REDIS_URL;
  if (redisUrl === undefined) delete process.env.REDIS_URL;
  else process.env.REDIS_URL = redisUrl;
  try {
    const code = await runCli(argv, { stdout, stderr, signal: AbortSignal.timeout(10_000) });
    return { code, stderr: err };
  } finally {
    if (saved !== undefined) process.env.REDIS_URL = saved;
    else delete process.env.REDIS_URL;
  }
}

describe("start command", () => {
  it("exits 2 naming the config key that is wrong", async () => {
    const file = join(dir, "bad.yaml");
    await writeFile(
      file,
      `chains: [{ id: 31337, name: local, rpc: ["http://127.0.0.1:9"] }]\nalerts:\n  rules:\n    - { kind: dataStale, name: Stale, maxAgeSeconds: -5 }\n`,
    );
    const { code, stderr } = await cli(["start", "--config", file]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error: alerts\.rules\[0\]\.maxAgeSeconds: /);
  });

  it("exits 2 for an unknown role, and for a separate role without REDIS_URL", async () => {
    expect((await cli(["start", "--role", "indexer"])).stderr).toBe(
      "error: --role indexer: expected one of sync, simulate, notify, api, all\n",
    );
    expect((await cli(["start", "--role", "simulate"])).stderr).toBe(
      "error: --role simulate: needs --config; the embedded devnet runs every role in one process\n",
    );
    const file = join(dir, "ok.yaml");
    await writeFile(file, `chains: [{ id: 31337, name: local, rpc: ["http://127.0.0.1:9"] }]\n`);
    const { code, stderr } = await cli(["start", "--config", file, "--role", "sync", "--port", "0"]);
    expect(code).toBe(2);
    expect(stderr).toBe("error: --role sync: separate roles need REDIS_URL (the distributed pipeline)\n");
  });
});

describe("start with an unreachable Redis", () => {
  it("exits 1 after the PING timeout without printing the URL", async () => {
    const file = join(dir, "ok-redis.yaml");
    await writeFile(file, `chains: [{ id: 31337, name: local, rpc: ["http://127.0.0.1:9"] }]\n`);
    const port = await freePort();
    const { code, stderr } = await cli(
      ["start", "--config", file, "--role", "simulate", "--port", "0"],
      `redis://:s3cret@127.0.0.1:${port}`,
    );
    expect(code).toBe(1);
    expect(stderr).toBe("error: Redis (REDIS_URL) did not answer PING within 10 s\n");
  }, 30_000);
});

describe("single-process warm restart", () => {
  it("serves the checkpointed results at once after a restart and continues the cycle count", async () => {
    const checkpointFile = join(dir, "checkpoint.json");
    const config = parseConfig({
      chains: [CHAIN],
      scenarios: { intervalSeconds: 0.2, list: [{ name: "eth-10", shock: { WETH: -0.1 } }] },
    });
    const liveSource: SnapshotSource = {
      sync: async () => ({
        snapshot: testBook(3000, new Date().toISOString()),
        takenAtMs: Date.now(),
        blocks: { "31337": 7 },
        heads: { "31337": 7 },
      }),
      close: async () => undefined,
    };
    const first = new AbortController();
    let port = 0;
    const run1 = runDaemon({
      config,
      role: "all",
      host: "127.0.0.1",
      port: 0,
      redisPrefix: "unused",
      checkpointFile,
      logger: quiet,
      signal: first.signal,
      graceMs: 1000,
      source: liveSource,
      onListening: (p) => {
        port = p;
      },
    });
    const deadline = Date.now() + 20_000;
    let version = 0;
    while (Date.now() < deadline && version < 2) {
      await new Promise((r) => setTimeout(r, 100));
      if (port === 0) continue;
      const res = await fetch(`http://127.0.0.1:${port}/api/snapshot/summary`);
      if (res.ok) version = ((await res.json()) as { version: number }).version;
    }
    // The API simulates on the current book in a worker thread: at WETH 2400 the position's health
    // factor is 10·2400·0.8/20000 = 0.96 > 0.95, so round 1 repays the close factor's half: 10,000.
    const simulated = await fetch(`http://127.0.0.1:${port}/api/simulate`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ shock: { WETH: -0.2 } }),
    });
    expect(simulated.status).toBe(200);
    const report = (await simulated.json()) as { schema: string; rounds: Array<{ repaidUsd: number }> };
    expect(report.schema).toBe("cascade-report/2");
    expect(report.rounds[0]?.repaidUsd).toBe(10_000);
    first.abort();
    await run1;
    expect(version).toBeGreaterThanOrEqual(2);

    // Second run: the chain is unreachable (sync never finishes), yet the last results are served.
    const hangingSource: SnapshotSource = {
      sync: (signal) =>
        new Promise((_, reject) =>
          signal.addEventListener("abort", () => reject(new Error("aborted")), { once: true }),
        ),
      close: async () => undefined,
    };
    const second = new AbortController();
    let port2 = 0;
    const run2 = runDaemon({
      config,
      role: "all",
      host: "127.0.0.1",
      port: 0,
      redisPrefix: "unused",
      checkpointFile,
      logger: quiet,
      signal: second.signal,
      graceMs: 1000,
      source: hangingSource,
      onListening: (p) => {
        port2 = p;
      },
    });
    while (port2 === 0) await new Promise((r) => setTimeout(r, 20));
    const summary = (await (await fetch(`http://127.0.0.1:${port2}/api/snapshot/summary`)).json()) as {
      version: number;
      debtUsd: number;
    };
    expect(summary.version).toBeGreaterThanOrEqual(version);
    expect(summary.debtUsd).toBe(20_000);
    expect(await (await fetch(`http://127.0.0.1:${port2}/metrics`)).text()).toContain(
      'cascade_monitor_last_indexed_block{chain_id="31337"} 7',
    );
    second.abort();
    expect((await run2).forced).toBe(false);
  });
});
