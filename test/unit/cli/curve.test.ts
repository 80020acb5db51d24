import { afterAll, describe, expect, it } from "vitest";
import { generateBook } from "../../../bench/generateBook.js";
import { compileBook } from "../../../src/core/book/compileBook.js";
import { findCriticalShock } from "../../../src/core/curve/findCriticalShock.js";
import { liquidationCurve, shockGrid } from "../../../src/core/curve/liquidationCurve.js";
import { applyOverrides } from "../../../src/core/overrides/applyOverrides.js";
import { parseOverride } from "../../../src/core/overrides/parseOverride.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import { cli, tempDir } from "../../helpers/cliHarness.js";
import { graphFixtureInput } from "../graph/graphFixture.js";

const seed = Number(process.env.SEED ?? 5);
const dir = tempDir();
afterAll(() => dir.remove());
const book = generateBook({ positions: 300, seed });
const bookFile = dir.write("book.json", book);
const fixtureFile = dir.write("fixture.json", graphFixtureInput);
const compiled = () => compileBook(parseSnapshot(JSON.parse(JSON.stringify(book))));
const roundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe("curve", () => {
  it("--json prints the liquidation curve of the file on the requested grid", async () => {
    const result = await cli(
      "curve",
      "--snapshot",
      bookFile,
      "--asset",
      "WETH",
      "--to",
      "-0.3",
      "--step",
      "-0.1",
      "--json",
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const expected = liquidationCurve(compiled(), "WETH", [0, -0.1, -0.2, -0.3]);
    expect(JSON.parse(result.stdout)).toEqual(roundTrip({ asset: "WETH", points: expected }));
  });

  it("defaults to 51 shocks from 0 to -50% by 1%", async () => {
    const result = await cli("curve", "--snapshot", fixtureFile, "--asset", "WETH", "--json");
    expect(result.code).toBe(0);
    const curve = JSON.parse(result.stdout) as { points: { shock: number }[] };
    expect(curve.points.map((p) => p.shock)).toEqual(
      Array.from({ length: 51 }, (_, k) => (k === 0 ? 0 : -k / 100)),
    );
  });

  it("prints a readable table with one line per shock", async () => {
    const result = await cli(
      "curve",
      "--snapshot",
      fixtureFile,
      "--asset",
      "WETH",
      "--from",
      "-0.1",
      "--to",
      "-0.2",
      "--step",
      "-0.05",
    );
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("Liquidation curve of WETH (price 2,000.00); repaid USD by shock");
    // Header, rule, then -10%, -15%, -20% at 1,800, 1,700, 1,600.
    expect(lines.slice(3).map((l) => l.trim().split(/\s+/).slice(0, 2))).toEqual([
      ["-10.00%", "1,800.00"],
      ["-15.00%", "1,700.00"],
      ["-20.00%", "1,600.00"],
    ]);
  });

  it("applies overrides before simulating", async () => {
    const override = "aave-v3:1:0xpool:WETH.liquidationThreshold=0.6";
    const result = await cli(
      "curve",
      "--snapshot",
      fixtureFile,
      "--asset",
      "WETH",
      "--to",
      "-0.2",
      "--step",
      "-0.1",
      "--override",
      override,
      "--json",
    );
    expect(result.code).toBe(0);
    const snapshot = applyOverrides(parseSnapshot(structuredClone(graphFixtureInput)), [
      parseOverride(override),
    ]);
    const expected = liquidationCurve(compileBook(snapshot), "WETH", shockGrid(0, -0.2, -0.1));
    expect(JSON.parse(result.stdout)).toEqual(roundTrip({ asset: "WETH", points: expected }));
  });

  it("refuses bad input with exit 2 and one line", async () => {
    const cases: [string[], RegExp][] = [
      [["--asset", "ETH"], /--asset ETH: unknown asset; assets in the snapshot: WETH/],
      [["--asset", "WETH", "--step", "0.01"], /step 0\.01 does not lead from 0 to -0\.5/],
      [["--asset", "WETH", "--to", "-1", "--step", "-0.5"], /must be a number above -1/],
      [["--asset", "WETH", "--from", "abc"], /--from abc: not a number/],
      [
        ["--asset", "WETH", "--override", "aave-v3:1:0xpool:WETH.liquidationThreshold=abc"],
        /value "abc" is not a number/,
      ],
      [["--asset", "WETH", "--override", "nowhere:lltv=0.5"], /unknown market "nowhere"/],
    ];
    for (const [args, message] of cases) {
      const result = await cli("curve", "--snapshot", fixtureFile, ...args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    }
  });

  it("--help documents every option", async () => {
    const result = await cli("curve", "--help");
    expect(result.code).toBe(0);
    for (const flag of [
      "--snapshot <file>",
      "--asset <id>",
      "--from <fraction>",
      "--to <fraction>",
      "--step <fraction>",
      "--max-rounds <n>",
      "--override <market:field=value>",
      "--json",
    ]) {
      expect(result.stdout).toContain(flag);
    }
  });
});

describe("critical", () => {
  it("--json prints findCriticalShock of the file", async () => {
    const result = await cli("critical", "--snapshot", bookFile, "--asset", "WETH", "--json");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(roundTrip(findCriticalShock(compiled(), "WETH")));
  });

  it("prints both shocks with their prices", async () => {
    const result = await cli("critical", "--snapshot", fixtureFile, "--asset", "WETH");
    expect(result.code).toBe(0);
    const critical = findCriticalShock(
      compileBook(parseSnapshot(structuredClone(graphFixtureInput))),
      "WETH",
    );
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("WETH at 2,000.00");
    const pct = (s: number | null) => (s === null ? "not reached" : `${(s * 100).toFixed(2)}%`);
    expect(lines[1]).toContain(pct(critical.criticalShock));
    expect(lines[2]).toContain(pct(critical.badDebtShock));
  });

  it("refuses bad input with exit 2 and one line", async () => {
    const cases: [string[], RegExp][] = [
      [["--asset", "BTC"], /--asset BTC: unknown asset/],
      [["--asset", "WETH", "--max-rounds", "-3"], /--max-rounds -3: expected an integer of at least 1/],
    ];
    for (const [args, message] of cases) {
      const result = await cli("critical", "--snapshot", fixtureFile, ...args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    }
  });

  it("--help documents every option", async () => {
    const result = await cli("critical", "--help");
    expect(result.code).toBe(0);
    for (const flag of [
      "--snapshot <file>",
      "--asset <id>",
      "--max-rounds <n>",
      "--override <market:field=value>",
      "--json",
    ]) {
      expect(result.stdout).toContain(flag);
    }
  });
});
