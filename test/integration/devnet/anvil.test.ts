import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { UserInputError } from "../../../src/core/errors.js";
import { resolveAnvilBinary } from "../../../src/devnet/anvil/resolveAnvilBinary.js";
import { startAnvil } from "../../../src/devnet/anvil/startAnvil.js";
import { createDevnetClients } from "../../../src/devnet/chain/createDevnetClients.js";
import { MULTICALL3_ADDRESS } from "../../../src/devnet/chain/devnetChain.js";
import { installMulticall3 } from "../../../src/devnet/chain/installMulticall3.js";
import { devnetAccount } from "../../../src/devnet/startDevnet.js";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

/** Starts the owner script in a child process and resolves with the anvil pid it reports. */
function startOwner(mode: "wait" | "exit"): Promise<{ ownerPid: number; anvilPid: number; rpcUrl: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/helpers/devnetAnvilOwner.ts", mode], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const [pid, rpcUrl] = output.trim().split(" ");
      if (output.includes("\n") && pid !== undefined && rpcUrl !== undefined && child.pid !== undefined) {
        resolve({ ownerPid: child.pid, anvilPid: Number(pid), rpcUrl });
      }
    });
    child.once("error", reject);
  });
}

describe("anvil lifecycle", () => {
  it("resolves the binary through its npm package", () => {
    expect(resolveAnvilBinary("linux", "x64")).toMatch(/@foundry-rs\/anvil-linux-amd64\/bin\/anvil$/);
    expect(() => resolveAnvilBinary("plan9", "mips")).toThrow(/plan9-mips/);
  });

  it("starts on a free loopback port with chain id 31337 and stops idempotently", async () => {
    const anvil = await startAnvil();
    expect(anvil.rpcUrl).toBe(`http://127.0.0.1:${anvil.port}`);
    const clients = createDevnetClients(anvil.rpcUrl, devnetAccount(0));
    expect(await clients.public.getChainId()).toBe(31337);
    await Promise.all([anvil.stop(), anvil.stop()]);
    await anvil.stop();
    expect(isAlive(anvil.pid)).toBe(false);
  });

  it("always runs anvil with --prune-history (without it anvil keeps every old state on disk)", async () => {
    const anvil = await startAnvil({ extraArgs: ["--code-size-limit", "30000"] });
    try {
      const argv = readFileSync(`/proc/${anvil.pid}/cmdline`, "utf8").split("\0");
      expect(argv[0]).toBe(resolveAnvilBinary());
      expect(argv).toContain("--prune-history");
      expect(argv.slice(argv.indexOf("--host"), argv.indexOf("--host") + 2)).toEqual(["--host", "127.0.0.1"]);
      expect(argv).toContain("--code-size-limit");
    } finally {
      await anvil.stop();
    }
  });

  it("listens on the requested port when one is given, and names it when it is taken", async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const address = server.address();
        server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
      });
    });
    const anvil = await startAnvil({ port });
    try {
      expect(anvil.port).toBe(port);
      await expect(startAnvil({ port })).rejects.toThrow(
        new UserInputError(
          `port ${port} is already in use on 127.0.0.1 (choose another, or 0 for a free one)`,
        ),
      );
    } finally {
      await anvil.stop();
    }
  });

  it("puts Multicall3 at its canonical address and viem's multicall uses it", async () => {
    const anvil = await startAnvil();
    try {
      const clients = createDevnetClients(anvil.rpcUrl, devnetAccount(0));
      expect(await clients.public.getCode({ address: MULTICALL3_ADDRESS })).toBeUndefined();
      await installMulticall3(clients.public, clients.test);
      const code = await clients.public.getCode({ address: MULTICALL3_ADDRESS });
      expect(code?.length).toBeGreaterThan(1000);
      const account = devnetAccount(3).address;
      const [balance, chainId] = await clients.public.multicall({
        contracts: [
          {
            address: MULTICALL3_ADDRESS,
            abi: [
              {
                type: "function",
                name: "getEthBalance",
                stateMutability: "view",
                inputs: [{ type: "address" }],
                outputs: [{ type: "uint256" }],
              },
            ],
            functionName: "getEthBalance",
            args: [account],
          },
          {
            address: MULTICALL3_ADDRESS,
            abi: [
              {
                type: "function",
                name: "getChainId",
                stateMutability: "view",
                inputs: [],
                outputs: [{ type: "uint256" }],
              },
            ],
            functionName: "getChainId",
          },
        ],
        allowFailure: false,
      });
      expect(balance).toBe(await clients.public.getBalance({ address: account }));
      expect(chainId).toBe(31337n);
    } finally {
      await anvil.stop();
    }
  });

  it("dies with an owner that exits through process.exit", async () => {
    const { anvilPid } = await startOwner("exit");
    expect(await waitUntil(() => !isAlive(anvilPid), 5_000)).toBe(true);
  });

  it("dies with an owner killed by SIGKILL (no exit handlers run)", async () => {
    const { ownerPid, anvilPid, rpcUrl } = await startOwner("wait");
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    });
    expect(response.ok).toBe(true);
    process.kill(ownerPid, "SIGKILL");
    expect(await waitUntil(() => !isAlive(anvilPid), 5_000)).toBe(true);
  });
});
