import { afterAll, describe, expect, it } from "vitest";
import { generateBook } from "../../../bench/generateBook.js";
import { generateBookV2 } from "../../../bench/generateBookV2.js";
import { compileBook } from "../../../src/core/book/compileBook.js";
import { applyOverrides } from "../../../src/core/overrides/applyOverrides.js";
import { parseOverride } from "../../../src/core/overrides/parseOverride.js";
import { simulate } from "../../../src/core/propagator/simulate.js";
import type { CascadeReport } from "../../../src/core/report/cascadeReport.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import { cli, tempDir } from "../../helpers/cliHarness.js";
import { graphFixtureInput } from "../graph/graphFixture.js";

const seed = Number(process.env.SEED ?? 11);
const dir = tempDir();
afterAll(() => dir.remove());
const book = generateBook({ positions: 400, seed });
const bookFile = dir.write("book.json", book);
const fixtureFile = dir.write("fixture.json", graphFixtureInput);
const bookV2 = generateBookV2({ positions: 600, seed });
const bookV2File = dir.write("book-v2.json", bookV2);

/** What the core says for the same file, through a JSON round trip like the CLI's output. */
function expectedReport(document: unknown, shock: Record<string, number>, maxRounds?: number): CascadeReport {
  const report = simulate(
    compileBook(parseSnapshot(JSON.parse(JSON.stringify(document)))),
    shock,
    maxRounds === undefined ? {} : { maxRounds },
  );
  return JSON.parse(JSON.stringify(report)) as CascadeReport;
}

describe("simulate --json", () => {
  it("prints exactly the cascade-report/2 document of simulate() on the same file", async () => {
    const result = await cli("simulate", "--snapshot", bookFile, "--shock", "WETH=-0.2", "--json");
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout.endsWith("\n")).toBe(true);
    const report = JSON.parse(result.stdout) as CascadeReport;
    expect(report.schema).toBe("cascade-report/2");
    expect(report).toEqual(expectedReport(book, { WETH: -0.2 }));
    expect(report.totals.liquidations).toBeGreaterThan(0);
  });

  it("reads a cascade-snapshot/2 file and prints its v2 report: oracle reports, unprofitable and stranded debt", async () => {
    const result = await cli("simulate", "--snapshot", bookV2File, "--shock", "WETH=-25%", "--json");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as CascadeReport;
    expect(report).toEqual(expectedReport(bookV2, { WETH: -0.25 }));
    expect(report.rounds.length).toBeGreaterThan(1);
    // wstETH is priced by an exchange rate on the WETH feed: its report follows WETH's, not its pool.
    const first = report.rounds[0]!;
    expect(first.oraclePrices.wstETH! / first.oraclePrices.WETH!).toBeCloseTo(
      bookV2.assets.find((a) => a.id === "wstETH")!.priceUsd /
        bookV2.assets.find((a) => a.id === "WETH")!.priceUsd,
      2,
    );
    expect(report.rounds.some((r) => r.unprofitable > 0)).toBe(true);
    expect(report.totals.stranded).toBeGreaterThan(0);
  });

  it("accepts several assets, percents and repeated --shock flags", async () => {
    const result = await cli(
      "simulate",
      "--snapshot",
      bookFile,
      "--shock",
      "WETH=-15%,WBTC=-0.1",
      "--shock",
      "LINK=-0.3",
      "--max-rounds",
      "2",
      "--json",
    );
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as CascadeReport;
    expect(report.shock).toEqual({ WETH: -0.15, WBTC: -0.1, LINK: -0.3 });
    expect(report).toEqual(expectedReport(book, { WETH: -0.15, WBTC: -0.1, LINK: -0.3 }, 2));
    expect(report.rounds.length).toBeLessThanOrEqual(2);
  });
});

describe("simulate --override", () => {
  it("simulates the snapshot with the overridden parameter", async () => {
    const override = "aave-v3:1:0xpool:WETH.liquidationThreshold=0.7";
    const result = await cli(
      "simulate",
      "--snapshot",
      fixtureFile,
      "--shock",
      "WETH=-0.2",
      "--override",
      override,
      "--json",
    );
    expect(result.code).toBe(0);
    const snapshot = applyOverrides(parseSnapshot(structuredClone(graphFixtureInput)), [
      parseOverride(override),
    ]);
    const expected = JSON.parse(JSON.stringify(simulate(compileBook(snapshot), { WETH: -0.2 })));
    const report = JSON.parse(result.stdout) as CascadeReport;
    expect(report).toEqual(expected);
    // A lower threshold liquidates more than the file as it is.
    expect(report.totals.repaidUsd).toBeGreaterThan(
      expectedReport(graphFixtureInput, { WETH: -0.2 }).totals.repaidUsd,
    );
  });
});

describe("simulate (readable)", () => {
  it("prints the headline, rounds, protocol totals and top positions", async () => {
    const result = await cli("simulate", "--snapshot", fixtureFile, "--shock", "WETH=-0.3", "--top", "3");
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const report = expectedReport(graphFixtureInput, { WETH: -0.3 });
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe("Shock: WETH -30.00%");
    expect(lines[1]).toContain(
      `${report.totals.liquidations} liquidations of ${report.totals.positionsLiquidated} positions`,
    );
    expect(result.stdout).toContain("Rounds (market prices after the round's trades)");
    expect(result.stdout).toContain("By protocol");
    expect(result.stdout).toContain(
      `Stranded (liquidatable, but no liquidation pays): ${report.totals.stranded} positions`,
    );
    // The oracle reports of each round, one column per oracle a market reads.
    const oraclesAt = lines.indexOf("Oracle reports the markets judged each round by");
    expect(lines[oraclesAt + 1]!.trim().split(/\s+/)).toEqual([
      "round",
      ...Object.keys(report.rounds[0]!.oraclePrices),
    ]);
    // One line per round with liquidations, under a header and a rule.
    const roundsAt = lines.indexOf("Rounds (market prices after the round's trades)");
    expect(lines[roundsAt + 1]).toMatch(/^round\s+liquidations/);
    expect(
      lines.slice(roundsAt + 3, roundsAt + 3 + report.rounds.length).map((l) => l.trim().split(/\s+/)[0]),
    ).toEqual(report.rounds.map((r) => String(r.round)));
    const topAt = lines.findIndex((l) => l.startsWith("Top "));
    const distinct = new Set(report.liquidations.map((l) => `${l.market} ${l.account}`)).size;
    expect(lines[topAt]).toBe(`Top ${Math.min(3, distinct)} positions by repaid USD`);
  });
});

describe("simulate: bad input exits 2 with one line on stderr", () => {
  const cases: [string, string[], RegExp][] = [
    [
      "missing file",
      ["--snapshot", `${dir.path}/nope.json`, "--shock", "WETH=-0.2"],
      /cannot read snapshot file .*nope\.json: no such file/,
    ],
    ["directory", ["--snapshot", dir.path, "--shock", "WETH=-0.2"], /is a directory/],
    [
      "shock not a number",
      ["--snapshot", fixtureFile, "--shock", "WETH=abc"],
      /--shock WETH=abc: "abc" is not a number/,
    ],
    [
      "shock of -150%",
      ["--snapshot", fixtureFile, "--shock", "WETH=-1.5"],
      /--shock WETH=-1\.5: a price cannot fall 100% or more/,
    ],
    [
      "shock of 1e308",
      ["--snapshot", fixtureFile, "--shock", "WETH=1e308"],
      /--shock WETH=1e308: at most \+100% \(a doubling\)/,
    ],
    [
      "shock without value",
      ["--snapshot", fixtureFile, "--shock", "WETH"],
      /--shock "WETH": expected ASSET=FRACTION/,
    ],
    ["asset named twice", ["--snapshot", fixtureFile, "--shock", "WETH=-0.1,WETH=-0.2"], /names WETH twice/],
    [
      "unknown asset",
      ["--snapshot", fixtureFile, "--shock", "ETH=-0.2"],
      /unknown asset "ETH"; assets in the snapshot: WETH, wstETH/,
    ],
    [
      "max rounds 0",
      ["--snapshot", fixtureFile, "--shock", "WETH=-0.2", "--max-rounds", "0"],
      /--max-rounds 0: expected an integer of at least 1/,
    ],
    [
      "max rounds not integer",
      ["--snapshot", fixtureFile, "--shock", "WETH=-0.2", "--max-rounds", "2.5"],
      /--max-rounds 2\.5/,
    ],
    [
      "bad override value",
      [
        "--snapshot",
        fixtureFile,
        "--shock",
        "WETH=-0.2",
        "--override",
        "aave-v3:1:0xpool:WETH.liquidationThreshold=x",
      ],
      /override "aave-v3:1:0xpool:WETH\.liquidationThreshold=x": value "x" is not a number/,
    ],
    [
      "override of an unknown market",
      ["--snapshot", fixtureFile, "--shock", "WETH=-0.2", "--override", "aave-v3:9:0xnone:lltv=0.5"],
      /unknown market "aave-v3:9:0xnone"/,
    ],
    [
      "override out of range",
      ["--snapshot", fixtureFile, "--shock", "WETH=-0.2", "--override", "morpho-blue:1:WETH-USDC:lltv=1.2"],
      /lltv/,
    ],
    ["missing --snapshot", ["--shock", "WETH=-0.2"], /required option '--snapshot <file>' not specified/],
    ["missing --shock", ["--snapshot", fixtureFile], /required option '--shock/],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const result = await cli("simulate", ...args);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it("names line and column of a JSON syntax error", async () => {
    // Line 3 is `  "assets": [1,]`: two spaces, 8 for "assets", ":", " ", "[", "1", "," put `]` at column 16.
    const file = dir.write("broken.json", '{\n  "schema": "cascade-snapshot/1",\n  "assets": [1,]\n}\n');
    const result = await cli("simulate", "--snapshot", file, "--shock", "WETH=-0.2");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/broken\.json is not valid JSON: .* at line 3 column 16\n$/);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("names line and column when Node gives no position (unexpected token)", async () => {
    const file = dir.write("token.json", '{"schema": x}');
    const result = await cli("simulate", "--snapshot", file, "--shock", "WETH=-0.2");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /token\.json is not valid JSON: Unexpected token 'x' at line 1 column 12\n$/,
    );
  });

  it("names the path of the first bad snapshot field", async () => {
    const broken = structuredClone(graphFixtureInput) as { positions: { debt: Record<string, unknown> }[] };
    broken.positions[1]!.debt.USDC = "lots";
    const file = dir.write("badfield.json", broken);
    const result = await cli("simulate", "--snapshot", file, "--shock", "WETH=-0.2");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: positions\[1\]\.debt\.USDC: .*\(in .*badfield\.json\)\n$/);
  });
});

describe("simulate --help", () => {
  it("documents every option", async () => {
    const result = await cli("simulate", "--help");
    expect(result.code).toBe(0);
    for (const flag of [
      "--snapshot <file>",
      "--shock <ASSET=FRACTION,...>",
      "--max-rounds <n>",
      "--top <n>",
      "--json",
    ]) {
      expect(result.stdout).toContain(flag);
    }
  });
});
