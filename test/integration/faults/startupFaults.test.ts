/**
 * Fault suite, start-up: the real CLI in a child process against a port already in use, and
 * against an RPC that is down and carries an API key in its URL. Each ends in one line on stderr
 * and exit 1, before any cycle; the key appears in no output.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDaemonProcess } from "../../helpers/daemonProcess.js";
import { freePort } from "../../helpers/redisServer.js";

const SECRET_KEY = "k3y-Sup3rSecret-9f8e7d";
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cm-startup-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function config(name: string, withMarket: boolean): Promise<string> {
  const file = join(dir, name);
  const market = {
    protocol: "aave-v3",
    chain: 31337,
    pool: "0x0000000000000000000000000000000000000001",
    addressesProvider: "0x0000000000000000000000000000000000000002",
  };
  await writeFile(
    file,
    JSON.stringify({
      chains: [{ id: 31337, name: "local", rpc: [`$${"{"}FAULT_RPC_URL}`], retries: 1, timeoutMs: 500 }],
      markets: withMarket ? [market] : [],
      sinks: [{ kind: "log", name: "log" }],
    }),
  );
  return file;
}

describe("start-up faults", () => {
  it("refuses a port in use in one line, before any cycle or delivery", async () => {
    const blocker: Server = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
    try {
      const file = await config("port.json", false);
      const d = startDaemonProcess(["--config", file, "--port", String(port), "--no-checkpoint"], {
        FAULT_RPC_URL: "http://127.0.0.1:9",
      });
      const exit = await d.exited;
      expect(exit.code).toBe(1);
      expect(d.stderr).toEqual([
        `error: 127.0.0.1:${port} is already in use; stop what listens there or choose another --port / server.port`,
      ]);
      expect(d.stdout).toEqual([]);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, 60_000);

  it("exits 1 in one line when the RPC is down at start, and never prints the key in its URL", async () => {
    const rpcUrl = `http://127.0.0.1:${await freePort()}/v3/${SECRET_KEY}`;
    const file = await config("rpc.json", true);
    const d = startDaemonProcess(["--config", file, "--port", "0", "--no-checkpoint"], {
      FAULT_RPC_URL: rpcUrl,
    });
    const exit = await d.exited;
    expect(exit.code).toBe(1);
    const output = [...d.stdout, ...d.stderr].join("\n");
    expect(output).not.toContain(SECRET_KEY);
    expect(d.stderr).toHaveLength(1);
    expect(d.stderr[0]).toMatch(
      /^error: chain local: the RPC did not answer at start \(.*\); check chains\[\]\.rpc/,
    );
  }, 60_000);
});
