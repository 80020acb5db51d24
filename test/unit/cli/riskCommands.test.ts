import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { generateBook } from "../../../bench/generateBook.js";
import { parsePricePathCsv } from "../../../src/app/risk/parsePricePathCsv.js";
import { cascadeDrivers } from "../../../src/core/risk/cascadeDrivers.js";
import { compareMechanisms } from "../../../src/core/risk/compareMechanisms.js";
import { leverageClustering } from "../../../src/core/risk/leverageClustering.js";
import { replayPricePath } from "../../../src/core/risk/replayPricePath.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import { cli, tempDir } from "../../helpers/cliHarness.js";

const seed = Number(process.env.SEED ?? 23);
const dir = tempDir();
afterAll(() => dir.remove());
const input = generateBook({ positions: 300, seed });
const bookFile = dir.write("book.json", input);
const snapshot = () => parseSnapshot(JSON.parse(JSON.stringify(input)));

describe("mechanisms", () => {
  it("prints the core's comparison as JSON, and a side-by-side table", async () => {
    const json = await cli("mechanisms", "--snapshot", bookFile, "--shock", "WETH=-0.25", "--json");
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(
      JSON.parse(JSON.stringify(compareMechanisms(snapshot(), { WETH: -0.25 }))),
    );
    const text = await cli("mechanisms", "--snapshot", bookFile, "--shock", "WETH=-25%");
    expect(text.stdout).toMatch(/aave-v3\.0 .*\n.*aave-v3\.3 .*\n.*aave-v4 .*\n.*morpho-blue/);
    const bad = await cli("mechanisms", "--snapshot", bookFile, "--shock", "DOGE=-0.2");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown asset "DOGE"/);
  });

  it("takes Aave V4's engine parameters for the markets that are not V4, and refuses bad ones", async () => {
    const args = ["mechanisms", "--snapshot", bookFile, "--shock", "WETH=-0.25", "--json"];
    const chosen = await cli(...args, "--v4-target-health-factor", "1.2");
    expect(chosen.code).toBe(0);
    expect(JSON.parse(chosen.stdout)).toEqual(
      JSON.parse(
        JSON.stringify(
          compareMechanisms(snapshot(), { WETH: -0.25 }, { v4Engine: { targetHealthFactor: 1.2 } }),
        ),
      ),
    );
    const bad = await cli(...args, "--v4-target-health-factor", "0.9");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/targetHealthFactor: must be at least 1/);
    const notANumber = await cli(...args, "--v4-liquidation-bonus-factor", "lots");
    expect(notANumber.code).toBe(2);
    expect(notANumber.stderr).toMatch(/--v4-liquidation-bonus-factor/);
  });
});

describe("recommend", () => {
  it("prints a cascade-recommendation/1 document whose curve is the VaR of each what-if", async () => {
    const args = [
      "recommend",
      "--snapshot",
      bookFile,
      "--market",
      "morpho-blue:1:WETH-USDC-86",
      "--param",
      "lltv",
    ];
    const common = [
      "--paths",
      "20",
      "--horizon",
      "7d",
      "--points",
      "3",
      "--tolerance",
      "0.1",
      "--default-vol",
      "1.5",
    ];
    const json = await cli(
      ...args,
      "--objective",
      "var99.badDebtUsd<=1e12",
      ...common,
      "--threads",
      "2",
      "--json",
    );
    expect(json.stderr).toBe("");
    const report = JSON.parse(json.stdout) as {
      schema: string;
      recommended: number;
      curve: unknown[];
      range: unknown;
    };
    expect(report.schema).toBe("cascade-recommendation/1");
    expect(report.range).toEqual({ strict: 0.5, permissive: 0.98 });
    expect(report.recommended).toBe(0.98); // a bound no path reaches: the permissive end
    expect(report.curve).toHaveLength(3);
    const text = await cli(...args, "--objective", "p95.liquidatedDebtUsd<0", ...common, "--threads", "1");
    expect(text.stdout).toMatch(/No value of lltv/);
    const bad = await cli(...args, "--objective", "var98.badDebtUsd<=1", ...common);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown statistic "var98"/);
    const noAsset = await cli(
      "recommend",
      "--snapshot",
      bookFile,
      "--market",
      "morpho-blue:1:WETH-USDC-86",
      "--param",
      "liquidationBonus",
      "--objective",
      "p99.badDebtUsd<=1",
    );
    expect(noAsset.stderr).toMatch(/recommends lltv/);
  });
});

describe("drivers", () => {
  it("prints the core's drivers as JSON, and ranked tables", async () => {
    const json = await cli(
      "drivers",
      "--snapshot",
      bookFile,
      "--shock",
      "WETH=-0.25",
      "--top",
      "3",
      "--json",
    );
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(
      JSON.parse(JSON.stringify(cascadeDrivers(snapshot(), { WETH: -0.25 }, { topPositions: 3 }))),
    );
    const text = await cli("drivers", "--snapshot", bookFile, "--shock", "WETH=-0.25", "--top", "3");
    expect(text.stdout).toMatch(/Positions \(the book without each\)/);
    expect(text.stdout).toMatch(/Markets \(the book without each\)/);
  });
});

describe("clustering", () => {
  it("prints the core's clustering as JSON, and a table of buckets", async () => {
    const json = await cli(
      "clustering",
      "--snapshot",
      bookFile,
      "--asset",
      "WETH",
      "--step",
      "0.05",
      "--to",
      "0.3",
      "--json",
    );
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(
      JSON.parse(JSON.stringify(leverageClustering(snapshot(), "WETH", { step: 0.05, maxDrop: 0.3 }))),
    );
    const text = await cli("clustering", "--snapshot", bookFile, "--asset", "WETH");
    expect(text.stdout).toMatch(/with cascade/);
    expect((await cli("clustering", "--snapshot", bookFile, "--asset", "DOGE")).code).toBe(2);
  });
});

describe("replay", () => {
  it("replays the shipped example path: JSON equal to the core's, and a table per step", async () => {
    const csv = "config/replay/eth-crash.example.csv";
    const json = await cli("replay", "--snapshot", bookFile, "--prices", csv, "--json");
    expect(json.code).toBe(0);
    const expected = replayPricePath(snapshot(), parsePricePathCsv(readFileSync(csv, "utf8")));
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(expected.totals.liquidations).toBeGreaterThan(0);
    const text = await cli("replay", "--snapshot", bookFile, "--prices", csv);
    expect(text.stdout).toMatch(/^step .*WETH move/);
    expect((await cli("replay", "--snapshot", bookFile, "--prices", "no-such.csv")).code).toBe(2);
  });
});
