/**
 * The daemon's runtime context, built once per run and passed down (as Ponder's `Common`): the
 * config and the settings derived from it, the logger, the metrics, the clocks, the abort signal,
 * the engine and the sinks. Nothing below it picks a default of its own.
 */
import type { MonitorMetrics } from "../../adapters/metrics/monitorMetrics.js";
import { createMonitorMetrics } from "../../adapters/metrics/monitorMetrics.js";
import type { AlertSink } from "../../adapters/sinks/alertSink.js";
import type { CascadeConfig } from "../../config/schema/configSchema.js";
import { buildSinks } from "./buildSinks.js";
import { createCoreEngine } from "./coreEngine.js";
import type { DaemonLogger } from "./daemonLogger.js";
import type { CascadeEngine } from "./daemonPorts.js";
import { type DaemonSettings, daemonSettings } from "./daemonSettings.js";
import { limitRepeats } from "./limitRepeats.js";

export interface DaemonClock {
  /** Milliseconds since the epoch (snapshot and result times). */
  readonly nowMs: () => number;
  /** High-resolution milliseconds for durations. */
  readonly elapsedMs: () => number;
}

export interface DaemonContext {
  readonly config: CascadeConfig;
  readonly settings: DaemonSettings;
  /** Warnings and errors repeat at most once a minute (an outage fails every retry the same way). */
  readonly logger: DaemonLogger;
  readonly metrics: MonitorMetrics;
  readonly clock: DaemonClock;
  /** Aborts once: the stop request of the whole run. */
  readonly signal: AbortSignal;
  readonly engine: CascadeEngine;
  /** True when `engine` is the core engine (API simulations and cycle tasks may then run in worker threads). */
  readonly coreEngine: boolean;
  readonly sinks: readonly AlertSink[];
}

export interface DaemonContextOptions {
  readonly config: CascadeConfig;
  readonly logger: DaemonLogger;
  readonly signal: AbortSignal;
  readonly engine?: CascadeEngine;
  readonly metrics?: MonitorMetrics;
  readonly clock?: DaemonClock;
}

export function createDaemonContext(options: DaemonContextOptions): DaemonContext {
  const { config } = options;
  return {
    config,
    settings: daemonSettings(config.scenarios, config.alerts, config.server.staleAfterSeconds, config.risk),
    logger: limitRepeats(options.logger),
    metrics: options.metrics ?? createMonitorMetrics(),
    clock: options.clock ?? { nowMs: () => Date.now(), elapsedMs: () => performance.now() },
    signal: options.signal,
    engine: options.engine ?? createCoreEngine(),
    coreEngine: options.engine === undefined,
    // The log sink writes every notification: it gets the logger without the repeat limit.
    sinks: buildSinks(config.sinks, options.logger, config.alerts.repeatIntervalSeconds),
  };
}
