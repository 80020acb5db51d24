/**
 * `cascade-monitor start` with no config, as `npm start` runs it: the embedded devnet (mainnet
 * profile by default: Uniswap V3 pools, deviation feeds, composed Morpho oracles) is started,
 * indexed and monitored; `/readyz` turns ready, the API answers the devnet's scenarios, and
 * SIGTERM stops the daemon and its devnet cleanly.
 */
import { afterAll, describe, expect, it } from "vitest";
import { type DaemonProcess, startDaemonProcess, waitUntil } from "../../helpers/daemonProcess.js";

const POSITIONS = 60;
let daemon: DaemonProcess | undefined;

afterAll(async () => {
  await daemon?.kill();
});

describe("start with no config", () => {
  it("monitors a mainnet-profile devnet of its own: ready, every position indexed, scenarios answered", async () => {
    daemon = startDaemonProcess(["--positions", String(POSITIONS), "--seed", "1", "--port", "0"]);
    const d = daemon;
    const started = JSON.parse(await d.waitForLog(/"msg":"embedded devnet started"/, 180_000)) as {
      profile: string;
      positions: number;
    };
    expect(started).toMatchObject({ profile: "mainnet", positions: POSITIONS });
    await waitUntil("ready", async () => (await d.get("/readyz")).status === 200, 180_000, 500);

    const summary = JSON.parse((await d.get("/api/snapshot/summary")).body) as {
      positions: number;
      debtUsd: number;
      byProtocol: Record<string, { positions: number }>;
    };
    expect(summary.positions).toBe(POSITIONS);
    expect(summary.debtUsd).toBeGreaterThan(0);
    expect(Object.keys(summary.byProtocol).sort()).toEqual(["aave-v3", "morpho-blue"]);

    const { scenarios } = JSON.parse((await d.get("/api/scenarios")).body) as {
      scenarios: Array<{ name: string; liquidations: number; rounds: number }>;
    };
    expect(scenarios.map((s) => s.name)).toEqual(["eth-10", "eth-20", "eth-30", "btc-15", "lst-depeg-5"]);
    // ETH -30% through the V3 pool's ranges liquidates part of the book.
    expect(scenarios.find((s) => s.name === "eth-30")!.liquidations).toBeGreaterThan(0);

    d.process.kill("SIGTERM");
    expect((await d.exited).code).toBe(0);
  }, 400_000);
});
