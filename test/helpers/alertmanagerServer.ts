/**
 * A real Alertmanager for tests (Debian package `prometheus-alertmanager`): started on a free
 * loopback port with its own config and data directory, clustering off, and one receiver: a
 * webhook to `webhookUrl` (firing and resolved, grouped by alertname, one-second waits) when given,
 * else nothing. `stop()` ends it and removes the directory.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./redisServer.js";
import { requireProgram } from "./requireProgram.js";

export interface TestAlertmanager {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  stop(): Promise<void>;
}

function config(webhookUrl: string | undefined): string {
  return [
    "route:",
    "  receiver: team",
    "  group_by: [alertname]",
    "  group_wait: 1s",
    "  group_interval: 1s",
    "  repeat_interval: 1h",
    "receivers:",
    "  - name: team",
    ...(webhookUrl === undefined
      ? []
      : [
          "    webhook_configs:",
          `      - url: ${JSON.stringify(webhookUrl)}`,
          "        send_resolved: true",
        ]),
    "",
  ].join("\n");
}

async function waitUntilReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`alertmanager exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`alertmanager was not ready within ${timeoutMs} ms`);
}

export async function startAlertmanager(options: { webhookUrl?: string } = {}): Promise<TestAlertmanager> {
  const program = requireProgram(["prometheus-alertmanager", "alertmanager"], "prometheus-alertmanager");
  const dir = await mkdtemp(join(tmpdir(), "cascade-alertmanager-"));
  await writeFile(join(dir, "alertmanager.yml"), config(options.webhookUrl));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    program,
    [
      `--config.file=${join(dir, "alertmanager.yml")}`,
      `--storage.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--cluster.listen-address=",
    ],
    { stdio: "ignore" },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await waitUntilReady(url, child, 20_000);
  } catch (error) {
    child.kill("SIGKILL");
    await exited;
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
