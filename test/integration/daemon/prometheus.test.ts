/**
 * The shipped Prometheus rules pass `promtool check rules` and their unit tests, and a real
 * `prometheus` started here scrapes the monitor's `/metrics` and answers queries on book metrics.
 */
import { execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { createMonitorHttpServer } from "../../../src/adapters/http/monitorHttpServer.js";
import { createMonitorMetrics } from "../../../src/adapters/metrics/monitorMetrics.js";
import { summarizeBook } from "../../../src/app/daemon/summarizeBook.js";
import { freePort } from "../../helpers/redisServer.js";
import { requireProgram } from "../../helpers/requireProgram.js";
import { testBook } from "./bookFixture.js";

const run = promisify(execFile);
const PROMTOOL = requireProgram(["promtool"], "prometheus");
const PROMETHEUS = requireProgram(["prometheus"], "prometheus");
const RULES_DIR = fileURLToPath(new URL("../../../config/prometheus/", import.meta.url));
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe("Prometheus rules", () => {
  it("pass promtool check rules", async () => {
    const { stdout } = await run(PROMTOOL, ["check", "rules", "cascade-monitor.rules.yml"], {
      cwd: RULES_DIR,
    });
    expect(stdout).toContain("SUCCESS: 5 rules found");
  });

  it("are loaded by the shipped scrape config (promtool check config)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cm-promconfig-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const shipped = await readFile(join(RULES_DIR, "prometheus.yml"), "utf8");
    // compose mounts the rules under /etc/prometheus; here they are read from the repository.
    const local = shipped.replace(
      "/etc/prometheus/cascade-monitor.rules.yml",
      join(RULES_DIR, "cascade-monitor.rules.yml"),
    );
    expect(local).not.toBe(shipped);
    await writeFile(join(dir, "prometheus.yml"), local);
    const { stdout } = await run(PROMTOOL, ["check", "config", join(dir, "prometheus.yml")]);
    expect(stdout).toContain("SUCCESS: 5 rules found");
  });

  it("pass their promtool unit tests", async () => {
    const { stdout } = await run(PROMTOOL, ["test", "rules", "cascade-monitor.rules.test.yml"], {
      cwd: RULES_DIR,
    });
    expect(stdout).toContain("SUCCESS");
  });
});

describe("a real Prometheus scraping the monitor", () => {
  it("stores the book metrics it scraped", async () => {
    const metrics = createMonitorMetrics();
    const book = summarizeBook(testBook(3000));
    metrics.recordBook(book.markets, book.exposures);
    const http = createMonitorHttpServer({
      registry: metrics.registry,
      getResults: async () => undefined,
      readiness: async () => ({ ready: true, reason: "test" }),
      simulate: async () => ({}),
      maxBodyBytes: 1024,
      simulateTimeoutMs: 1000,
    });
    const monitorPort = await http.listen(0, "127.0.0.1");
    cleanups.push(() => http.close());

    const dir = await mkdtemp(join(tmpdir(), "cm-prometheus-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await writeFile(
      join(dir, "prometheus.yml"),
      [
        "global: { scrape_interval: 1s, evaluation_interval: 1s }",
        "scrape_configs:",
        "  - job_name: cascade-monitor",
        `    static_configs: [{ targets: ["127.0.0.1:${monitorPort}"] }]`,
      ].join("\n"),
    );
    const promPort = await freePort();
    const prometheus = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(dir, "prometheus.yml")}`,
        `--storage.tsdb.path=${join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      { stdio: "ignore" },
    );
    const exited = new Promise<void>((resolve) => prometheus.once("exit", () => resolve()));
    cleanups.push(async () => {
      prometheus.kill("SIGTERM");
      await exited;
    });

    const query = `cascade_monitor_book_debt_usd{asset="USDC"}`;
    const deadline = Date.now() + 60_000;
    let value: string | undefined;
    while (Date.now() < deadline && value === undefined) {
      try {
        const res = await fetch(
          `http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(query)}`,
        );
        const body = (await res.json()) as {
          data?: { result?: Array<{ metric: Record<string, string>; value: [number, string] }> };
        };
        value = body.data?.result?.[0]?.value[1];
        if (value !== undefined) expect(body.data?.result?.[0]?.metric.job).toBe("cascade-monitor");
      } catch {
        // Prometheus is still starting.
      }
      if (value === undefined) await new Promise((r) => setTimeout(r, 250));
    }
    // The fixture book owes 20,000 USDC at $1.
    expect(value).toBe("20000");
  });
});
