import { afterAll, describe, expect, it } from "vitest";
import { buildCollateralGraph } from "../../../src/core/graph/buildCollateralGraph.js";
import type { CollateralGraph } from "../../../src/core/graph/collateralGraph.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import { cli, tempDir } from "../../helpers/cliHarness.js";
import { graphFixtureInput } from "../graph/graphFixture.js";

const dir = tempDir();
afterAll(() => dir.remove());
const file = dir.write("fixture.json", graphFixtureInput);

describe("graph", () => {
  it("--json prints the collateral graph of the file", async () => {
    const result = await cli("graph", "--snapshot", file, "--json");
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const expected = buildCollateralGraph(parseSnapshot(structuredClone(graphFixtureInput)));
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(JSON.stringify(expected)));
  });

  it("--json --asset keeps one asset; --step sets the level width", async () => {
    const result = await cli("graph", "--snapshot", file, "--asset", "WETH", "--step", "0.05", "--json");
    expect(result.code).toBe(0);
    const graph = JSON.parse(result.stdout) as CollateralGraph;
    expect(graph.assets.map((n) => n.asset)).toEqual(["WETH"]);
    expect(graph.assets[0]?.liquidationPrices.buckets).toHaveLength(20);
  });

  it("prints exposure, shared assets and clustering", async () => {
    const result = await cli("graph", "--snapshot", file);
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe("Exposure at snapshot prices");
    // Fixture: wstETH follows WETH; XLST follows wstETH at beta 0.5, so WETH at 0.5 transitively.
    expect(lines.find((l) => l.startsWith("XLST"))).toMatch(/wstETH \(beta 0\.5\) → WETH \(beta 0\.5\)$/);
    expect(result.stdout).toContain("WETH: 4 markets, 3 protocol(s)");
    expect(result.stdout).toContain("Liquidation clustering");
    // p10 (Compound, 1 WETH) is under water at snapshot prices.
    expect(result.stdout).toMatch(
      /WETH at 2,000\.00: \$54\.0k held as collateral; already liquidatable \$2,000\.00 \(1 positions\)/,
    );
  });

  it("--asset lists that asset's non-empty levels one by one", async () => {
    const result = await cli("graph", "--snapshot", file, "--asset", "WETH");
    expect(result.code).toBe(0);
    // p1: 10·p·0.8 = 12100 → p = 1512.5, a 24.375% drop: level -24% to -25%, prices 1,520 down to 1,500.
    expect(result.stdout).toMatch(/-24\.00% to -25\.00%\s+1,520\.00 – 1,500\.00\s+1\s+\$20\.0k/);
  });

  it("refuses an unknown asset and a bad step with exit 2 and one line", async () => {
    for (const [args, message] of [
      [["--asset", "ETH"], /--asset ETH: unknown asset; assets in the snapshot: WETH/],
      [["--step", "0"], /--step 0: expected a fraction in \(0, 0\.5\]/],
      [["--step", "x"], /--step x: not a number/],
    ] as const) {
      const result = await cli("graph", "--snapshot", file, ...args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    }
  });

  it("--help documents every option", async () => {
    const result = await cli("graph", "--help");
    expect(result.code).toBe(0);
    for (const flag of ["--snapshot <file>", "--asset <id>", "--step <fraction>", "--json"]) {
      expect(result.stdout).toContain(flag);
    }
  });
});
