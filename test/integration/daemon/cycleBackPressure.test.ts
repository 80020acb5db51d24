import { describe, expect, it } from "vitest";
import { createRedisPipelineState } from "../../../src/adapters/queue/redisPipelineState.js";
import { endCycle, skipWhileCycleRuns } from "../../../src/app/daemon/cycleBackPressure.js";
import { redisForFile } from "../../helpers/redisForFile.js";

const redis = redisForFile();

/** Real pipeline state in Redis; the catch-ups queued, by cycle. */
function harness() {
  const state = createRedisPipelineState(redis.connection, redis.nextPrefix("bp"));
  const catchUps: number[] = [];
  const queueCatchUp = async (version: number) => {
    catchUps.push(version);
  };
  return { state, catchUps, queueCatchUp };
}

describe("back-pressure between the sync and a running cycle", () => {
  it("lets the sync go on when no cycle runs, or when the one marked has finished", async () => {
    const { state, catchUps, queueCatchUp } = harness();
    expect(await skipWhileCycleRuns({ state, stillRunning: async () => true, queueCatchUp })).toBeUndefined();
    await state.setCycleInFlight(4);
    expect(
      await skipWhileCycleRuns({ state, stillRunning: async () => false, queueCatchUp }),
    ).toBeUndefined();
    expect(await state.cyclesBehind()).toBe(0);
    expect(catchUps).toEqual([]);
  });

  it("skips and counts starts while a cycle runs; the cycle's end queues one catch-up", async () => {
    const { state, catchUps, queueCatchUp } = harness();
    await state.setCycleInFlight(7);
    const deps = { state, stillRunning: async () => true, queueCatchUp };
    expect(await skipWhileCycleRuns(deps)).toEqual({ running: 7, behind: 1 });
    expect(await skipWhileCycleRuns(deps)).toEqual({ running: 7, behind: 2 });
    expect(catchUps).toEqual([]);
    expect(await endCycle({ state, queueCatchUp }, 7)).toBe(true);
    expect(catchUps).toEqual([7]);
    expect(await state.cycleInFlight()).toBeUndefined();
  });

  it("queues the catch-up itself when the cycle ended between its check and its count", async () => {
    const { state, catchUps, queueCatchUp } = harness();
    await state.setCycleInFlight(9);
    let endedBeforeTheCount: boolean | undefined;
    // The cycle's job is seen running, then ends (clears its mark, finds nothing skipped) before
    // this start is counted: without a second look nobody would read the newest block.
    const stillRunning = async () => {
      endedBeforeTheCount = await endCycle({ state, queueCatchUp }, 9);
      return true;
    };
    expect(await skipWhileCycleRuns({ state, stillRunning, queueCatchUp })).toEqual({
      running: 9,
      behind: 1,
    });
    expect(endedBeforeTheCount).toBe(false);
    expect(catchUps).toEqual([9]);
  });

  it("leaves a newer cycle's mark alone when an older cycle ends", async () => {
    const { state, catchUps, queueCatchUp } = harness();
    await state.setCycleInFlight(12);
    expect(await endCycle({ state, queueCatchUp }, 11)).toBe(false);
    expect(await state.cycleInFlight()).toBe(12);
    expect(catchUps).toEqual([]);
  });
});
