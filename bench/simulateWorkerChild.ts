/**
 * A simulate worker process for the distributed benchmark: the pipeline's `simulate` role (task,
 * parent and VaR workers) on REDIS_URL under PIPELINE_PREFIX; prints `ready`, stops on SIGTERM.
 */
import { createMonitorMetrics } from "../src/adapters/metrics/monitorMetrics.js";
import { DEFAULT_WORKER_OPTIONS } from "../src/adapters/queue/pipelineWorker.js";
import { createRedisConnection } from "../src/adapters/queue/redisConnection.js";
import { createCoreEngine } from "../src/app/daemon/coreEngine.js";
import { daemonSettings } from "../src/app/daemon/daemonSettings.js";
import { startDistributedPipeline } from "../src/app/daemon/distributedPipeline.js";
import { alertsSectionSchema } from "../src/config/schema/alerts.js";
import { scenariosSectionSchema } from "../src/config/schema/scenarios.js";

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const connection = createRedisConnection(process.env.REDIS_URL ?? "");
const pipeline = await startDistributedPipeline({
  role: "simulate",
  connection,
  prefix: process.env.PIPELINE_PREFIX ?? "",
  engine: createCoreEngine(),
  sinks: [],
  settings: daemonSettings(scenariosSectionSchema.parse({}), alertsSectionSchema.parse({}), 120),
  metrics: createMonitorMetrics({ processMetrics: false }),
  logger: quiet,
  // A 1M-position book loads in the first task: a long lock keeps it from being taken over.
  workerOptions: { ...DEFAULT_WORKER_OPTIONS, lockDurationMs: 120_000, stalledIntervalMs: 120_000 },
  nowMs: Date.now,
  elapsedMs: () => performance.now(),
  schedule: false,
});
process.stdout.write("ready\n");
process.once("SIGTERM", () => {
  void pipeline.close(10_000).then(() => {
    connection.disconnect();
    process.exit(0);
  });
});
