import { afterAll, describe, expect, it } from "vitest";
import { generateBook } from "../../../bench/generateBook.js";
import { compileBook } from "../../../src/core/book/compileBook.js";
import { simulate } from "../../../src/core/propagator/simulate.js";
import type { ValueAtRiskReport } from "../../../src/core/risk/valueAtRisk.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import { cli, tempDir } from "../../helpers/cliHarness.js";

const seed = Number(process.env.SEED ?? 17);
const dir = tempDir();
afterAll(() => dir.remove());
const input = generateBook({ positions: 300, seed });
const bookFile = dir.write("book.json", input);
const args = [
  "var",
  "--snapshot",
  bookFile,
  "--paths",
  "40",
  "--horizon",
  "7d",
  "--seed",
  "9",
  "--default-vol",
  "1.2",
];

describe("var", () => {
  it("prints the same cascade-var/1 document on worker threads as in one thread, each path equal to simulate", async () => {
    const threaded = await cli(...args, "--threads", "2", "--json");
    const single = await cli(...args, "--threads", "1", "--json");
    expect(threaded.stderr).toBe("");
    expect(threaded.code).toBe(0);
    expect(threaded.stdout).toBe(single.stdout);
    const report = JSON.parse(threaded.stdout) as ValueAtRiskReport;
    expect(report.schema).toBe("cascade-var/1");
    expect(report.paths).toHaveLength(40);
    expect(Object.keys(report.badDebtUsd).sort()).toEqual(["es99", "mean", "p95", "p99"]);
    const book = compileBook(parseSnapshot(JSON.parse(JSON.stringify(input))));
    for (const p of report.paths)
      expect(p.totals).toEqual(JSON.parse(JSON.stringify(simulate(book, p.shock).totals)));
    // The statistics are those of the listed paths (nearest rank 39 of 40 for p95, 40 for p99).
    const repaid = report.paths.map((p) => p.totals.repaidUsd).sort((a, b) => a - b);
    expect(report.liquidatedDebtUsd.p95).toBe(repaid[37]);
    expect(report.liquidatedDebtUsd.p99).toBe(repaid[39]);
  });

  it("prints tables, and refuses a correlation matrix that is not positive semi-definite, naming it", async () => {
    const text = await cli(...args, "--threads", "1");
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/liquidated debt/);
    expect(text.stdout).toMatch(/Worst paths/);
    const bad = await cli(
      ...args,
      "--threads",
      "1",
      "--corr",
      "WETH/WBTC=0.95,WETH/LINK=0.95,WBTC/LINK=-0.95",
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/correlation matrix \(--corr.*\) is not positive semi-definite/);
    const horizon = await cli("var", "--snapshot", bookFile, "--horizon", "soon");
    expect(horizon.code).toBe(2);
    expect(horizon.stderr).toMatch(/--horizon soon/);
  });
});
