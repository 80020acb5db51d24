/**
 * Back-pressure between the sync and the cycle it started: a sync start while a cycle is still
 * queued or running is skipped (its block would be stale by the time its cycle ran), counted, and
 * left to the running cycle's end, which queues one catch-up sync on the newest block when it
 * sees a skipped start.
 *
 * The skip and the cycle's end run in different processes, so the count and the end can cross:
 * the cycle can clear its mark and read the count between this start's check and its count, and
 * then queues no catch-up. The skip therefore reads the mark again after counting: the cycle ends
 * with clear-then-read and the skip counts with count-then-read, so at least one of the two sees
 * the other, and the catch-up is queued by the cycle's end, by the skip, or by both (one job id).
 */
import type { RedisPipelineState } from "../../adapters/queue/redisPipelineState.js";

export interface CycleBackPressure {
  readonly state: Pick<
    RedisPipelineState,
    "cycleInFlight" | "addCycleBehind" | "clearCycleInFlight" | "cyclesBehind"
  >;
  /** Whether cycle `version`'s flow is still queued or being worked on. */
  readonly stillRunning: (version: number) => Promise<boolean>;
  /** Queues the catch-up sync after cycle `version` (an id of that cycle's own: queued at most once). */
  readonly queueCatchUp: (version: number) => Promise<void>;
}

/** A start skipped for a running cycle: that cycle and the starts skipped since it began. */
export interface SkippedStart {
  readonly running: number;
  readonly behind: number;
}

/** Undefined when no cycle runs (the sync goes on); else the start is skipped and counted. */
export async function skipWhileCycleRuns(deps: CycleBackPressure): Promise<SkippedStart | undefined> {
  const running = await deps.state.cycleInFlight();
  if (running === undefined || !(await deps.stillRunning(running))) return undefined;
  const behind = await deps.state.addCycleBehind();
  // Ended meanwhile, perhaps before it read the count: queue its catch-up here.
  if ((await deps.state.cycleInFlight()) !== running) await deps.queueCatchUp(running);
  return { running, behind };
}

/**
 * Cycle `version` has stored its results: its mark is cleared, then, when starts were skipped
 * while it ran, the newest block is read now rather than an interval later. Returns whether it
 * queued the catch-up.
 */
export async function endCycle(
  deps: Pick<CycleBackPressure, "state" | "queueCatchUp">,
  version: number,
): Promise<boolean> {
  await deps.state.clearCycleInFlight(version);
  if ((await deps.state.cyclesBehind()) === 0) return false;
  await deps.queueCatchUp(version);
  return true;
}
