/** `cascade-monitor snapshot` end to end on the devnet's own deployment file, and checkpoint resume. */

import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSync } from "../../../src/app/sync/createSync.js";
import { fileCheckpointStore } from "../../../src/app/sync/fileCheckpointStore.js";
import { runCli } from "../../../src/cli/run.js";
import { parseConfig } from "../../../src/config/loadConfig.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import { type Devnet, startDevnet } from "../../../src/devnet/startDevnet.js";

const SEED = Number(process.env.SEED ?? 5);
let devnet: Devnet;
let dir = "";

function capture(): { io: Parameters<typeof runCli>[1]; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c: Buffer) => {
    out += c.toString("utf8");
  });
  stderr.on("data", (c: Buffer) => {
    err += c.toString("utf8");
  });
  return { io: { stdout, stderr, signal: new AbortController().signal }, out: () => out, err: () => err };
}

beforeAll(async () => {
  devnet = await startDevnet({ profile: "spot", seed: SEED, positions: 60 });
  dir = await mkdtemp(join(tmpdir(), "cascade-snapshot-"));
}, 240_000);

afterAll(async () => {
  await devnet?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("snapshot command", () => {
  it("takes the deployment file as it is and writes a valid snapshot with totals on stderr", async () => {
    const configFile = join(dir, "deployment.json");
    const outFile = join(dir, "snapshot.json");
    await writeFile(configFile, JSON.stringify(devnet.config));
    const cli = capture();
    const code = await runCli(["snapshot", "--config", configFile, "--out", outFile], cli.io);
    expect(cli.err()).toMatch(
      /^snapshot: 60 positions \(aave-v3 \d+, morpho-blue \d+\), 7 markets, 4 assets at 31337@\d+ in [\d.]+ s → /m,
    );
    expect(code).toBe(0);
    const snapshot = parseSnapshot(JSON.parse(await readFile(outFile, "utf8")));
    expect(snapshot.positions).toHaveLength(60);
    // Not a terminal: no progress, only the totals line.
    expect(cli.err().trimEnd().split("\n")).toHaveLength(1);
    expect(cli.out()).toBe("");
  });

  it("exits on its own over a WebSocket RPC (the socket is closed when done)", async () => {
    const wsConfig = join(dir, "deployment-ws.json");
    const chain = devnet.config.chains[0]!;
    await writeFile(
      wsConfig,
      JSON.stringify({
        ...devnet.config,
        chains: [{ ...chain, rpc: [chain.rpc[0]!.replace("http://", "ws://")] }],
      }),
    );
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "src/main.ts", "snapshot", "--config", wsConfig, "--out", join(dir, "ws.json")],
      {
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString("utf8");
    });
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve(null);
      }, 45_000);
      child.on("exit", (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    expect(stderr).toMatch(/snapshot: 60 positions/);
    expect(code).toBe(0);
  });

  it("writes to stdout without --out", async () => {
    const configFile = join(dir, "deployment.json");
    const cli = capture();
    expect(await runCli(["snapshot", "--config", configFile], cli.io)).toBe(0);
    expect(parseSnapshot(JSON.parse(cli.out())).positions).toHaveLength(60);
  });

  it("exits 2 with one line naming the bad key", async () => {
    const bad = join(dir, "bad.json");
    await writeFile(
      bad,
      JSON.stringify({ ...devnet.config, markets: [{ ...devnet.config.markets[0], pool: "0x12" }] }),
    );
    const cli = capture();
    expect(await runCli(["snapshot", "--config", bad], cli.io)).toBe(2);
    expect(cli.err()).toBe("error: markets[0].pool: not an address\n");
  });

  it("resumes from a file checkpoint instead of scanning from deployment", async () => {
    const store = fileCheckpointStore(join(dir, "checkpoints"));
    const config = parseConfig(devnet.config);
    const first = await createSync(config, { checkpoints: store });
    await first.start();
    const lines: string[] = [];
    const second = await createSync(config, { checkpoints: store, log: (line) => lines.push(line) });
    await second.start();
    expect(lines.some((l) => /resuming from checkpoint at block \d+/.test(l))).toBe(true);
    expect(lines.some((l) => /logs in blocks/.test(l))).toBe(false);
    const at = new Date(0);
    expect(second.snapshot(at)).toEqual(first.snapshot(at));
  });

  it("takes borrowers from an Aave subgraph and scans logs only after its indexed block", async () => {
    const v36 = devnet.config.markets.find((m) => (m as { name?: string }).name === "aave-v3.6")!;
    const borrowers = [
      ...new Set(
        devnet.positions
          .filter((p) => p.protocol === "aave-v3" && p.market === "aave-v3.6")
          .map((p) => p.account.toLowerCase()),
      ),
    ].sort();
    const head = Number(await devnet.clients.public.getBlockNumber());
    let broken = false;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const { variables } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
          variables: { lastId: string; first: number };
        };
        const users = borrowers
          .filter((id) => id > variables.lastId)
          .slice(0, variables.first)
          .map((id) => ({ id }));
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(
          JSON.stringify({
            data: broken ? { users: "malformed" } : { _meta: { block: { number: head } }, users },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/subgraph`;
      const withSubgraph = parseConfig({
        ...devnet.config,
        markets: devnet.config.markets.map((m) => (m === v36 ? { ...m, subgraph: url } : m)),
      });
      const lines: string[] = [];
      const viaSubgraph = await createSync(withSubgraph, { log: (line) => lines.push(line) });
      await viaSubgraph.start();
      expect(lines).toContain(
        `chain devnet: aave-v3.6: ${borrowers.length} accounts from its indexed source through block ${head}`,
      );
      expect(lines.some((l) => l.includes("aave-v3.6:") && l.includes("logs in blocks"))).toBe(false);
      const plain = await createSync(parseConfig(devnet.config), {});
      await plain.start();
      const at = new Date(0);
      expect(viaSubgraph.snapshot(at)).toEqual(plain.snapshot(at));

      // A subgraph that only answers malformed pages is ignored: the log scan covers everything.
      broken = true;
      const fallbackLines: string[] = [];
      const fallback = await createSync(withSubgraph, { log: (line) => fallbackLines.push(line) });
      await fallback.start();
      expect(
        fallbackLines.some((l) => /aave-v3\.6: indexed source failed .*nothing was applied/.test(l)),
      ).toBe(true);
      expect(fallback.snapshot(at)).toEqual(plain.snapshot(at));
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
