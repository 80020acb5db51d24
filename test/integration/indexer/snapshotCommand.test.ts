/** `cascade-monitor snapshot` end to end on the devnet's own deployment file, and checkpoint resume. */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Devnet, startDevnet } from "../../../src/adapters/devnet/startDevnet.js";
import { createSync } from "../../../src/app/sync/createSync.js";
import { fileCheckpointStore } from "../../../src/app/sync/fileCheckpointStore.js";
import { runCli } from "../../../src/cli/run.js";
import { parseConfig } from "../../../src/config/loadConfig.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";

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
  devnet = await startDevnet({ seed: SEED, positions: 60 });
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
    // Progress lines are plain (not a TTY) and name each indexer.
    expect(cli.err()).toMatch(/aave-v3\.6: \d+ accounts read/);
    expect(cli.out()).toBe("");
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
});
