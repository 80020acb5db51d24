/**
 * Shared wiring of the fault suite: one small devnet per file, a monitor config on it whose rule
 * fires on the first cycle (a 50% WETH drop liquidates something on any seeded book) and goes on
 * firing, sinks pointed at real receivers through `${ENV}` references, and the daemon's flags and
 * environment per run mode.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Devnet } from "../../../src/devnet/startDevnet.js";

/** A `${NAME}` reference, as the config takes secrets. */
const envRef = (name: string): string => `$${"{"}${name}}`;

export type RunMode = "single" | "redis";

export const SIGNING_SECRET = `whsec_${Buffer.from("fault-suite signing key, 32 byte").toString("base64")}`;

export interface FaultSink {
  readonly name: string;
  readonly url: string;
  readonly timeoutSeconds: number;
}

/** Writes the config; sink URLs and the signing secret are `${ENV}` references (returned in `env`). */
export async function writeFaultConfig(
  dir: string,
  devnet: Devnet,
  sinks: readonly FaultSink[],
  extra: Record<string, unknown> = {},
): Promise<{ file: string; env: Record<string, string> }> {
  const env: Record<string, string> = { FAULT_SIGNING_SECRET: SIGNING_SECRET };
  const config = {
    ...devnet.config,
    scenarios: { intervalSeconds: 1, list: [{ name: "eth-50", shock: { WETH: -0.5 } }] },
    alerts: {
      repeatIntervalSeconds: 3600,
      rules: [{ kind: "scenarioLiquidations", name: "CascadeRisk", scenario: "eth-50", thresholdUsd: 1 }],
    },
    sinks: sinks.map((sink, i) => {
      env[`FAULT_SINK_URL_${i}`] = sink.url;
      return {
        kind: "webhook",
        name: sink.name,
        url: envRef(`FAULT_SINK_URL_${i}`),
        secret: envRef("FAULT_SIGNING_SECRET"),
        timeoutSeconds: sink.timeoutSeconds,
      };
    }),
    ...extra,
  };
  const file = join(dir, "monitor.json");
  await writeFile(file, JSON.stringify(config, null, 2));
  return { file, env };
}

/** A fresh state directory (single process) or key prefix (Redis) for one scenario. */
export async function stateFor(
  mode: RunMode,
  redisUrl: string,
  label: string,
): Promise<{ args: string[]; env: Record<string, string>; dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `cm-fault-${label}-`));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  if (mode === "single")
    return { args: ["--checkpoint", join(dir, "checkpoint.json")], env: {}, dir, cleanup };
  return {
    args: [],
    env: {
      REDIS_URL: redisUrl,
      CASCADE_REDIS_PREFIX: `cmfault-${label}-${process.pid}`,
      CASCADE_JOB_LOCK_SECONDS: "2",
    },
    dir,
    cleanup,
  };
}
