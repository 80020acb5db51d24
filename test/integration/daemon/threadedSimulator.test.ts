import { afterEach, describe, expect, it } from "vitest";
import { generateBook } from "../../../bench/generateBook.js";
import { createCoreEngine } from "../../../src/app/daemon/coreEngine.js";
import {
  createThreadedSimulator,
  SimulationTimeoutError,
} from "../../../src/app/daemon/threadedSimulator.js";
import { UserInputError } from "../../../src/core/errors.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import { testBook } from "./bookFixture.js";

const simulators: Array<{ close(): void }> = [];
afterEach(() => {
  for (const s of simulators.splice(0)) s.close();
});

describe("threaded simulator", () => {
  it("answers exactly what the in-process engine answers, loading each book version once", async () => {
    const simulator = createThreadedSimulator();
    simulators.push(simulator);
    const book = testBook(2700);
    let loads = 0;
    const load = async () => {
      loads += 1;
      return book;
    };
    const engine = createCoreEngine();
    const expected = engine.simulate(engine.compile(book), { WETH: -0.1 }, 50);
    const first = await simulator.simulate("1", load, { WETH: -0.1 }, 50, AbortSignal.timeout(30_000));
    const second = await simulator.simulate("1", load, { WETH: -0.2 }, 50, AbortSignal.timeout(30_000));
    expect(first).toEqual(expected);
    expect((second as { shock: unknown }).shock).toEqual({ WETH: -0.2 });
    expect(loads).toBe(1);
    await expect(
      simulator.simulate("1", load, { DOGE: -0.1 }, 50, AbortSignal.timeout(30_000)),
    ).rejects.toBeInstanceOf(UserInputError);
  });

  it("stops a simulation at its time limit and starts a fresh thread for the next one", async () => {
    const simulator = createThreadedSimulator();
    simulators.push(simulator);
    // A generated book big enough that compiling and simulating it takes far longer than 50 ms.
    const big = parseSnapshot(generateBook({ positions: 50_000, seed: 1 }));
    const slow = simulator.simulate("1", async () => big, { WETH: -0.3 }, 50, AbortSignal.timeout(50));
    const t0 = performance.now();
    await expect(slow).rejects.toBeInstanceOf(SimulationTimeoutError);
    expect(performance.now() - t0).toBeLessThan(2000);
    const report = (await simulator.simulate(
      "2",
      async () => testBook(2700),
      { WETH: -0.1 },
      50,
      AbortSignal.timeout(30_000),
    )) as {
      rounds: Array<{ repaidUsd: number }>;
    };
    // Round 1 at WETH 2430: the close factor's half of the 20,000 USDC debt.
    expect(report.rounds[0]?.repaidUsd).toBe(10_000);
  });
});
