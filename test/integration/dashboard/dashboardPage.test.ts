/**
 * The dashboard page in a real browser (Debian's chromium, headless) against the monitor on the
 * devnet, with a real Alertmanager as a sink: the figures on the page are the API's, the firing
 * alerts are the ones Alertmanager holds, a price crash on chain reaches the page without a
 * reload, and the what-if form runs a simulation whose totals are the API's. Screenshots go to
 * `.cache/screenshots/` (`SCREENSHOT_DIR` overrides).
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDashboard } from "../../../dashboard/build.js";
import { createMonitorMetrics } from "../../../src/adapters/metrics/monitorMetrics.js";
import type { MonitorResults } from "../../../src/adapters/store/monitorResults.js";
import { DEVNET_DAEMON_SECTIONS } from "../../../src/app/daemon/devnetDaemonSections.js";
import { type DaemonExit, runDaemon } from "../../../src/app/daemon/runDaemon.js";
import { parseConfig } from "../../../src/config/loadConfig.js";
import type { CascadeReport } from "../../../src/core/report/cascadeReport.js";
import { DEVNET_SHOCK_TRADER } from "../../../src/devnet/crash.js";
import { prepareDevnetActor } from "../../../src/devnet/liquidator/sendCallsInOneBlock.js";
import { targetFromDeploymentFile } from "../../../src/devnet/liquidator/targetFromDeploymentFile.js";
import { movePairsByRatios } from "../../../src/devnet/liquidator/tradeRound.js";
import { type Devnet, startDevnet } from "../../../src/devnet/startDevnet.js";
import { startAlertmanager, type TestAlertmanager } from "../../helpers/alertmanagerServer.js";
import { devnetTestSeed } from "../../helpers/devnet.js";
import { launchChromium, type TestBrowser } from "../../helpers/headlessChromium.js";

const SCREENSHOTS = resolve(process.env.SCREENSHOT_DIR ?? ".cache/screenshots");
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

let devnet: Devnet;
let alertmanager: TestAlertmanager;
let browser: TestBrowser;
let pageDir: string;
let base = "";
const controller = new AbortController();
let running: Promise<DaemonExit> | undefined;

async function waitFor(
  what: string,
  probe: () => Promise<boolean> | boolean,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const api = async <T>(path: string): Promise<T> => {
  const res = await fetch(`${base}${path}`);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
};

beforeAll(async () => {
  pageDir = await mkdtemp(join(tmpdir(), "cm-dashboard-"));
  const [started, am] = await Promise.all([
    startDevnet({ profile: "spot", seed: devnetTestSeed(), positions: 200 }),
    startAlertmanager(),
    buildDashboard(pageDir),
  ]);
  devnet = started;
  alertmanager = am;
  const config = parseConfig({
    ...devnet.config,
    ...DEVNET_DAEMON_SECTIONS,
    scenarios: { ...DEVNET_DAEMON_SECTIONS.scenarios, intervalSeconds: 1 },
    sinks: [{ kind: "alertmanager", name: "am", url: alertmanager.url, labels: { team: "risk" } }],
  });
  let port = 0;
  running = runDaemon({
    config,
    role: "all",
    host: "127.0.0.1",
    port: 0,
    redisPrefix: "unused",
    logger: quiet,
    signal: controller.signal,
    graceMs: 10_000,
    metrics: createMonitorMetrics({ processMetrics: false }),
    dashboardDir: pageDir,
    onListening: (p) => {
      port = p;
    },
  });
  await waitFor(
    "the first results",
    async () => port > 0 && (await fetch(`http://127.0.0.1:${port}/readyz`)).ok,
    120_000,
  );
  base = `http://127.0.0.1:${port}`;
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  controller.abort();
  await running;
  await alertmanager?.stop();
  await devnet?.stop();
  if (pageDir !== undefined) await rm(pageDir, { recursive: true, force: true });
});

/** `data-value` of every element matching `selector`, in document order. */
const values = (page: Page, selector: string) =>
  page.$$eval(selector, (nodes) => nodes.map((n) => Number(n.getAttribute("data-value"))));
const cell = (page: Page, table: string, key: string, col: string) =>
  page.$eval(`#${table} tr[data-key="${key}"] td[data-col="${col}"]`, (n) => ({
    value: Number(n.getAttribute("data-value")),
    text: n.textContent ?? "",
  }));

describe("dashboard page", () => {
  it("shows the API's numbers, Alertmanager's alerts, updates without reloading and runs a what-if", async () => {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(String(e)));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    // Nothing but the monitor itself: the page works offline.
    const outside: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith("data:")) outside.push(r.url());
    });
    await page.goto(`${base}/`);
    await page.waitForSelector("body[data-version]", { timeout: 30_000 });
    await page.waitForSelector("#cascade-chart canvas");

    // The book.
    type Summary = { positions: number; collateralUsd: number; debtUsd: number };
    const summary = await api<Summary>("/api/snapshot/summary");
    expect(await values(page, '[data-field="book.positions"]')).toEqual([summary.positions]);
    expect(await values(page, '[data-field="book.collateralUsd"]')).toEqual([summary.collateralUsd]);
    expect(await values(page, '[data-field="book.debtUsd"]')).toEqual([summary.debtUsd]);
    expect(await page.textContent('[data-field="book.positions"]')).toBe(String(summary.positions));

    // Scenarios and critical shocks (the chain is idle: every cycle computes the same numbers).
    const { scenarios, criticalShocks, cascades } = await api<{
      scenarios: MonitorResults["scenarios"];
      criticalShocks: MonitorResults["criticalShocks"];
      cascades: NonNullable<MonitorResults["cascades"]>;
    }>("/api/scenarios");
    expect(scenarios.length).toBe(5);
    for (const s of scenarios) {
      expect((await cell(page, "scenarios", s.name, "liquidations")).value).toBe(s.liquidations);
      expect((await cell(page, "scenarios", s.name, "repaidUsd")).value).toBe(s.repaidUsd);
      expect((await cell(page, "scenarios", s.name, "badDebtUsd")).value).toBe(s.badDebtUsd);
      expect((await cell(page, "scenarios", s.name, "rounds")).value).toBe(s.rounds);
      const flows = cascades.find((c) => c.scenario === s.name)?.flows;
      expect((await cell(page, "scenarios", s.name, "strandedDebtUsd")).value).toBe(flows?.strandedDebtUsd);
    }
    for (const c of criticalShocks) {
      expect((await cell(page, "critical", c.asset, "cascadeShock")).value).toBe(
        c.cascadeShock ?? Number.NaN,
      );
    }

    // The liquidation curve of WETH, point by point.
    const curve = await api<{ points: MonitorResults["curves"] }>("/api/curve/WETH");
    for (const p of curve.points) {
      const row = `#curves [data-asset="WETH"] tr[data-key="${p.shock}"]`;
      expect(
        await page.$eval(`${row} td[data-col="totalRepaidUsd"]`, (n) => Number(n.getAttribute("data-value"))),
      ).toBe(p.totalRepaidUsd);
      expect(
        await page.$eval(`${row} td[data-col="directRepaidUsd"]`, (n) =>
          Number(n.getAttribute("data-value")),
        ),
      ).toBe(p.directRepaidUsd);
    }
    expect(await page.$$eval("#curves canvas", (c) => c.length)).toBeGreaterThanOrEqual(2);

    // The positions nearest liquidation, in the API's order.
    const atRisk = await api<{ positions: MonitorResults["positionsAtRisk"] }>(
      "/api/positions/at-risk?limit=25",
    );
    const keys = await page.$$eval("#at-risk tbody tr", (rows) =>
      rows.map((r) => r.getAttribute("data-key")),
    );
    expect(keys).toEqual(atRisk.positions.map((p) => `${p.market}/${p.account}`));
    expect(await values(page, '#at-risk td[data-col="healthFactor"]')).toEqual(
      atRisk.positions.map((p) => p.healthFactor),
    );

    // The firing alerts are those Alertmanager holds from the monitor's sink.
    type Held = Array<{ labels: Record<string, string> }>;
    const heldNames = async () =>
      ((await (await fetch(`${alertmanager.url}/api/v2/alerts`)).json()) as Held)
        .map((a) => a.labels.alertname)
        .sort();
    const pageNames = async () =>
      (
        await page.$$eval("#alerts [data-alert]", (nodes) =>
          nodes.map((n) => n.getAttribute("data-alert") ?? ""),
        )
      ).sort();
    await waitFor("the same alerts on the page and in Alertmanager", async () => {
      const held = await heldNames();
      return held.length > 0 && JSON.stringify(held) === JSON.stringify(await pageNames());
    });
    const held = (await (await fetch(`${alertmanager.url}/api/v2/alerts`)).json()) as Held;
    expect(held.every((a) => a.labels.team === "risk")).toBe(true);
    expect(await values(page, '[data-field="alerts.firing"]')).toEqual([held.length]);
    await page.screenshot({ path: join(SCREENSHOTS, "dashboard.png"), fullPage: true });

    // A 15% WETH crash on chain: the page shows the new eth-10 cascade without a reload.
    const before = (await cell(page, "scenarios", "eth-10", "repaidUsd")).value;
    const target = await targetFromDeploymentFile(devnet.clients.public, devnet.config);
    await prepareDevnetActor(devnet.rpcUrl, DEVNET_SHOCK_TRADER);
    await movePairsByRatios(devnet.clients.public, target, DEVNET_SHOCK_TRADER, new Map([["WETH", 0.85]]));
    await waitFor(
      "the crash on the page",
      async () => (await cell(page, "scenarios", "eth-10", "repaidUsd")).value !== before,
    );
    await waitFor("page and API on one version", async () => {
      const { scenarios: now } = await api<{ scenarios: MonitorResults["scenarios"] }>("/api/scenarios");
      const shown = (await cell(page, "scenarios", "eth-10", "repaidUsd")).value;
      return shown === now.find((s) => s.name === "eth-10")?.repaidUsd;
    });

    // What-if from the form: WETH -25% on the current book, the same totals as the API's.
    await page.fill('input[name="shock.WETH"]', "-25");
    for (const other of ["WBTC", "wstETH", "USDC"]) await page.fill(`input[name="shock.${other}"]`, "");
    await page.click("#what-if-run");
    await page.waitForSelector("#what-if-summary", { timeout: 30_000 });
    const res = await fetch(`${base}/api/simulate`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ shock: { WETH: -0.25 }, maxRounds: 50 }),
    });
    const report = (await res.json()) as CascadeReport;
    expect(report.totals.liquidations).toBeGreaterThan(0);
    expect(await values(page, '[data-field="whatIf.liquidations"]')).toEqual([report.totals.liquidations]);
    expect(await values(page, '[data-field="whatIf.repaidUsd"]')).toEqual([report.totals.repaidUsd]);
    expect(await values(page, '[data-field="whatIf.badDebtUsd"]')).toEqual([report.totals.badDebtUsd]);
    expect(await values(page, '[data-field="whatIf.strandedDebtUsd"]')).toEqual([
      report.totals.strandedDebtUsd,
    ]);
    await page.waitForSelector("#what-if-chart canvas");
    await page.locator("#what-if").screenshot({ path: join(SCREENSHOTS, "what-if.png") });
    await page.screenshot({ path: join(SCREENSHOTS, "dashboard-after-crash.png"), fullPage: true });
    // The upper part, as the README shows it: headline, alerts, scenarios, cascade, curves.
    await page.screenshot({
      path: join(SCREENSHOTS, "dashboard-top.png"),
      fullPage: true,
      clip: { x: 0, y: 0, width: 1440, height: 1560 },
    });

    expect(problems).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  }, 300_000);
});
