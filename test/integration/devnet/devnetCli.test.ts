import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { configSchema } from "../../../src/config/schema/configSchema.js";

const scratch = mkdtempSync(join(tmpdir(), "devnet-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Run {
  stdout: string;
  stderr: string;
  code: Promise<number | null>;
  waitFor(text: RegExp, timeoutMs: number): Promise<string>;
  signal(name: NodeJS.Signals): void;
}

function runCli(args: readonly string[]): Run {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const run: Run = {
    stdout: "",
    stderr: "",
    code: new Promise((resolve) => child.once("exit", (code) => resolve(code))),
    waitFor: (text, timeoutMs) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no ${text} within ${timeoutMs} ms: ${run.stderr}`)),
          timeoutMs,
        );
        const check = (): void => {
          const match = text.exec(run.stdout);
          if (match !== null) {
            clearTimeout(timer);
            resolve(match[0]);
          }
        };
        child.stdout.on("data", check);
        check();
      }),
    signal: (name) => child.kill(name),
  };
  child.stdout.on("data", (chunk: Buffer) => {
    run.stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    run.stderr += chunk.toString();
  });
  return run;
}

async function rpcAnswers(rpcUrl: string): Promise<boolean> {
  try {
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
    });
    return response.ok;
  } catch {
    return false;
  }
}

describe("cascade-monitor devnet", () => {
  it("writes a deployment file the config schema accepts, serves the RPC, and stops anvil on SIGINT", async () => {
    const out = join(scratch, "devnet.json");
    // No --profile: the mainnet profile is the default.
    const run = runCli(["devnet", "--positions", "30", "--seed", "3", "--out", out]);
    const line = await run.waitFor(/devnet RPC: (http:\/\/127\.0\.0\.1:\d+)/, 120_000);
    const rpcUrl = line.replace("devnet RPC: ", "");
    expect(run.stdout).toContain(`deployment file: ${out}`);
    const file = JSON.parse(readFileSync(out, "utf8")) as { devnet: { seed: number; positions: number } };
    const config = configSchema.parse(file);
    expect(config.chains[0]?.rpc).toEqual([rpcUrl]);
    expect(file.devnet).toMatchObject({ profile: "mainnet", seed: 3, positions: 30 });
    expect(config.assets.find((asset) => asset.id === "WETH")?.liquidity.kind).toBe("uniswap-v3");
    expect(await rpcAnswers(rpcUrl)).toBe(true);
    // --crash against the running mainnet-profile devnet: a swap in the WETH/USDC V3 pool, then the liquidator.
    const crash = runCli(["devnet", "--crash", "WETH=-0.3", "--deployment", out, "--json"]);
    expect(await crash.code).toBe(0);
    const report = JSON.parse(crash.stdout) as {
      rounds: Array<{ liquidations: number; prices: Record<string, number> }>;
    };
    expect(report.rounds.length).toBeGreaterThan(0);
    expect(report.rounds[0]!.liquidations).toBeGreaterThan(0);
    expect(report.rounds[0]!.prices.WETH).toBeLessThan(3000 * 0.7);
    expect(crash.stderr).not.toContain("liquidation reverted");
    run.signal("SIGINT");
    expect(await run.code).toBe(0);
    expect(await rpcAnswers(rpcUrl)).toBe(false);
    expect(run.stderr).toContain("devnet stopped");
  });

  it("refuses a bad flag with exit code 2 and one line naming it", async () => {
    const run = runCli(["devnet", "--positions", "-3"]);
    expect(await run.code).toBe(2);
    expect(run.stderr.trim()).toBe("error: --positions -3: expected an integer of at least 0");
    const profile = runCli(["devnet", "--profile", "mainnnet"]);
    expect(await profile.code).toBe(2);
    expect(profile.stderr.trim()).toBe("error: --profile mainnnet: expected one of mainnet, spot");
  });
});
