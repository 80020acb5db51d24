import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../../helpers/cliHarness.js";
import { graphFixtureInput } from "../graph/graphFixture.js";

const root = join(import.meta.dirname, "../../..");
const tsx = join(root, "node_modules/.bin/tsx");
const dir = tempDir();
afterAll(() => dir.remove());
const file = dir.write("fixture.json", graphFixtureInput);

const run = (...args: string[]) =>
  spawnSync(tsx, ["src/main.ts", ...args], { cwd: root, encoding: "utf8", timeout: 60_000 });

describe("the cascade-monitor binary (tsx src/main.ts)", () => {
  it("prints a report with exit 0 and refuses bad input with exit 2 and one stderr line", () => {
    const ok = run("simulate", "--snapshot", file, "--shock", "WETH=-0.3", "--json");
    expect(ok.status).toBe(0);
    expect((JSON.parse(ok.stdout) as { schema: string }).schema).toBe("cascade-report/2");

    const bad = run("simulate", "--snapshot", file, "--shock", "WETH=abc");
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe("");
    expect(bad.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(/^error: --shock WETH=abc: /)]);
  });
});
