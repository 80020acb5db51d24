import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generateBook } from "../../../bench/generateBook.js";
import { parsePricePathCsv } from "../../../src/app/risk/parsePricePathCsv.js";
import { compileBook } from "../../../src/core/book/compileBook.js";
import { simulate } from "../../../src/core/propagator/simulate.js";
import { replayPricePath } from "../../../src/core/risk/replayPricePath.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import {
  AAVE_MARKET,
  aaveMarketFixture,
  positionFixture,
  snapshotFixture,
} from "../../helpers/snapshotFixtures.js";

describe("replayPricePath", () => {
  it("carries the book over between steps: a half-closed position is closed on the next fall", () => {
    // Aave V3.0, lt 0.8, bonus 5%: 10 WETH against 22,000 USDC (HF 1.09 at $3000).
    const snapshot = parseSnapshot(
      snapshotFixture({
        markets: [aaveMarketFixture({ liquidationLogic: "v3.0" })],
        positions: [positionFixture(AAVE_MARKET, "0xa", { WETH: 10 }, { USDC: 22_000 })],
      }),
    );
    const path = parsePricePathCsv("timestamp,WETH\nt0,3000\nt1,2700\nt2,2160\n");
    const replay = replayPricePath(snapshot, path);
    // t1: -10%, HF 27000·0.8/22000 = 0.982 > 0.95: half the debt, 11000 · 1.05 / 2700 WETH seized;
    // left 10 - 4.2778 WETH, HF 1.12. t2: -20% more, HF 0.90 <= 0.95: the other half.
    expect(replay.steps.map((s) => s.shock.WETH)).toEqual([2700 / 3000 - 1, 2160 / 2700 - 1]);
    expect(replay.steps[0]!.repaidUsd).toBeCloseTo(11_000, 9);
    expect(replay.steps[0]!.rounds).toBe(1);
    expect(replay.steps[1]!.repaidUsd).toBeCloseTo(11_000, 9);
    expect(replay.steps[1]!.prices.WETH).toBeCloseTo(2160, 9);
    expect(replay.totals.repaidUsd).toBeCloseTo(22_000, 9);
    expect(replay.totals.positionsLeft).toBe(0);
  });

  it("a one-step path is one simulation of its move", () => {
    const snapshot = parseSnapshot(JSON.parse(JSON.stringify(generateBook({ positions: 300, seed: 4 }))));
    const replay = replayPricePath(
      snapshot,
      parsePricePathCsv("timestamp,WETH,WBTC\na,3000,60000\nb,2400,57000\n"),
    );
    const report = simulate(compileBook(snapshot), { WETH: 2400 / 3000 - 1, WBTC: 57_000 / 60_000 - 1 });
    expect(replay.steps).toHaveLength(1);
    expect(replay.steps[0]!.repaidUsd).toBe(report.totals.repaidUsd);
    expect(replay.steps[0]!.badDebtUsd).toBe(report.totals.badDebtUsd);
    expect(replay.steps[0]!.prices).toEqual(report.finalPrices);
  });

  it("reads the shipped example path, and names the cell of a bad price", () => {
    const example = parsePricePathCsv(readFileSync("config/replay/eth-crash.example.csv", "utf8"));
    expect(example.assets).toEqual(["WETH", "WBTC"]);
    expect(example.steps.length).toBeGreaterThan(5);
    expect(() => parsePricePathCsv("timestamp,WETH\na,3000\nb,-1\n")).toThrow(
      /row 3, WETH: "-1" is not a price above 0/,
    );
    expect(() => parsePricePathCsv("time,WETH\na,1\nb,2\n")).toThrow(/first line must be "timestamp/);
  });
});
