/**
 * Fault suite, chain: the real daemon (single process) on a devnet whose head is taken back below
 * the block the daemon already indexed as final (a snapshot revert, as a reset or resynced node
 * does). The sync stops that chain loudly, once: an error line naming it, `chain_stopped` 1,
 * `/readyz` 503 with the reason; it does not loop on "block not found", and the process stays up.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Devnet, startDevnet } from "../../../src/devnet/startDevnet.js";
import { type DaemonProcess, startDaemonProcess, waitUntil } from "../../helpers/daemonProcess.js";
import { type Receiver, startReceiver } from "../../unit/sinks/receiver.js";
import { stateFor, writeFaultConfig } from "./faultHarness.js";

let devnet: Devnet;
let hook: Receiver;
let daemon: DaemonProcess | undefined;

beforeAll(async () => {
  [devnet, hook] = await Promise.all([
    startDevnet({ profile: "spot", seed: 3, positions: 30 }),
    startReceiver(),
  ]);
}, 120_000);
afterAll(async () => {
  await daemon?.kill();
  await hook?.close();
  await devnet?.stop();
});

describe("chain rewound under a running daemon", () => {
  it("stops that chain loudly and once, says why on /readyz, and keeps serving", async () => {
    const before = await devnet.clients.test.snapshot();
    await devnet.clients.test.mine({ blocks: 5 });
    const indexedHead = Number(await devnet.clients.public.getBlockNumber({ cacheTime: 0 }));
    const state = await stateFor("single", "", "reset");
    const { file, env } = await writeFaultConfig(state.dir, devnet, [
      { name: "hook", url: hook.url, timeoutSeconds: 2 },
    ]);
    daemon = startDaemonProcess(["--config", file, "--port", "0", ...state.args], env);
    const d = daemon;
    await waitUntil("ready", async () => (await d.get("/readyz")).status === 200, 90_000);
    const metricsBefore = (await d.get("/metrics")).body;
    expect(metricsBefore).toContain(`cascade_monitor_last_indexed_block{chain_id="31337"} ${indexedHead}`);

    await devnet.clients.test.revert({ id: before });
    const stopped = await d.waitForLog(/"msg":"chain stopped"/, 20_000);
    expect(JSON.parse(stopped)).toMatchObject({ level: 50, chainId: 31337 });
    expect(stopped).toContain(`below the final block ${indexedHead}`);
    const ready = await d.get("/readyz");
    expect(ready.status).toBe(503);
    expect(ready.body).toContain("the head went back to block");
    expect((await d.get("/metrics")).body).toContain('cascade_monitor_chain_stopped{chain_id="31337"} 1');

    // A few more cycles: no loop on missing blocks, one stop line, the port still answers.
    await new Promise((r) => setTimeout(r, 4000));
    expect(d.stderr.filter((l) => l.includes('"msg":"chain stopped"'))).toHaveLength(1);
    expect(d.stderr.filter((l) => /not found/i.test(l))).toEqual([]);
    expect((await d.get("/healthz")).status).toBe(200);
    d.process.kill("SIGTERM");
    expect((await d.exited).code).toBe(0);
    await state.cleanup();
  }, 180_000);
});
