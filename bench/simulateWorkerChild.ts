/**
 * A simulate worker process for the distributed benchmark: the pipeline's `simulate` role (task,
 * parent and VaR workers) on REDIS_URL under PIPELINE_PREFIX; prints `ready`, stops on SIGTERM.
 * Started with an IPC channel, it takes `pause` (its workers take no new job) and `resume`, and
 * answers each once done.
 */
import { createRedisConnection } from "../src/adapters/queue/redisConnection.js";
import { createCoreEngine } from "../src/app/daemon/coreEngine.js";
import { daemonSettings } from "../src/app/daemon/daemonSettings.js";
import { startDistributedPipeline } from "../src/app/daemon/distributedPipeline.js";
import { alertsSectionSchema } from "../src/config/schema/alerts.js";
import { scenariosSectionSchema } from "../src/config/schema/scenarios.js";
import { benchPipelineDeps } from "./benchPipelineDeps.js";

const connection = createRedisConnection(process.env.REDIS_URL ?? "");
const pipeline = await startDistributedPipeline({
  role: "simulate",
  connection,
  prefix: process.env.PIPELINE_PREFIX ?? "",
  engine: createCoreEngine(),
  settings: daemonSettings(scenariosSectionSchema.parse({}), alertsSectionSchema.parse({}), 120),
  ...benchPipelineDeps(),
});
process.stdout.write("ready\n");
process.on("message", (message) => {
  if (message === "pause")
    void Promise.all(pipeline.workers.map((w) => w.pause())).then(() => process.send?.("paused"));
  if (message === "resume") {
    for (const w of pipeline.workers) w.resume();
    process.send?.("resumed");
  }
});
process.once("SIGTERM", () => {
  void pipeline.close(10_000).then(() => {
    connection.disconnect();
    process.exit(0);
  });
});
