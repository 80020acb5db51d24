/**
 * Suite `daemon`: block-to-alert latency of the single-process monitor. For each book size, a new
 * snapshot arrives (the book as the indexers would hand it over after a block), the monitor runs
 * its cycle (5 scenarios, an 8-point WETH curve, the WETH critical-shock search, alert rules) and
 * delivers the resulting alert to a local webhook receiver; the time is measured until the
 * receiver has the request. Indexing time is the `indexer` suite's.
 */

import { createServer } from "node:http";
import { createMonitorMetrics } from "../../src/adapters/metrics/monitorMetrics.js";
import { createWebhookSink } from "../../src/adapters/sinks/webhookSink.js";
import { createMemoryResultStore } from "../../src/adapters/store/memoryResultStore.js";
import { createCoreEngine } from "../../src/app/daemon/coreEngine.js";
import type { SyncedSnapshot } from "../../src/app/daemon/daemonPorts.js";
import { createSingleProcessMonitor } from "../../src/app/daemon/singleProcessMonitor.js";
import { parseSnapshot } from "../../src/core/snapshot/parseSnapshot.js";
import { benchCycleSettings } from "../benchCycleSettings.js";
import type { BenchSuite } from "../benchSuite.js";
import { generateBook } from "../generateBook.js";
import { median } from "../measure.js";

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

export const daemonSuite: BenchSuite = {
  name: "daemon",
  description:
    "block-to-alert latency: new snapshot → scenarios, curve, critical shock, alerts → webhook received",
  async run(context, emit) {
    let received: (() => void) | undefined;
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(204).end();
        received?.();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    try {
      for (const positions of context.sizes.filter((n) => n <= 100_000)) {
        context.log(`daemon: generating a ${positions}-position book`);
        const snapshot = parseSnapshot(generateBook({ positions, seed: context.seed }));
        const settings = benchCycleSettings();
        const samples: number[] = [];
        const runs = Math.min(context.runsFor(positions), 5);
        for (let run = 0; run < runs; run++) {
          let blockAtMs = 0;
          const monitor = createSingleProcessMonitor({
            engine: createCoreEngine(),
            source: {
              sync: async (): Promise<SyncedSnapshot> => {
                blockAtMs = performance.now();
                return { snapshot, takenAtMs: Date.now(), blocks: { "1": 1 }, heads: { "1": 1 } };
              },
              close: async () => undefined,
            },
            store: createMemoryResultStore(),
            metrics: createMonitorMetrics({ processMetrics: false }),
            sinks: [
              createWebhookSink({ name: "bench", url: `http://127.0.0.1:${port}/`, timeoutMs: 10_000 }),
            ],
            // A fresh monitor per run with a threshold of 0: each run fires once and delivers once.
            settings: {
              ...settings,
              rules: [
                {
                  kind: "scenarioLiquidations",
                  name: "BenchRepaid",
                  severity: "warning",
                  hysteresis: 0,
                  scenario: "eth-20",
                  thresholdUsd: 0,
                },
              ],
            },
            logger: quiet,
            retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
            startVersion: 0,
            nowMs: Date.now,
            elapsedMs: () => performance.now(),
          });
          const delivered = new Promise<number>((resolve) => {
            received = () => resolve(performance.now());
          });
          await monitor.runCycle(AbortSignal.timeout(300_000));
          samples.push((await delivered) - blockAtMs);
          await monitor.drain(10_000);
        }
        emit({
          suite: "daemon",
          positions,
          measure: "block-to-alert latency (single process)",
          value: median(samples),
          unit: "ms",
          runs,
          note: "5 scenarios, 8-point curve, critical-shock search, webhook delivery",
        });
      }
    } finally {
      server.closeAllConnections();
      server.close();
    }
  },
};
