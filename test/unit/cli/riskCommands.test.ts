import { afterAll, describe, expect, it } from "vitest";
import { generateBook } from "../../../bench/generateBook.js";
import { compareMechanisms } from "../../../src/core/risk/compareMechanisms.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import { cli, tempDir } from "./cliHarness.js";

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
    expect(text.stdout).toMatch(/aave-v3\.0 .*\n.*aave-v3\.3 .*\n.*morpho-blue/);
    const bad = await cli("mechanisms", "--snapshot", bookFile, "--shock", "DOGE=-0.2");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown asset "DOGE"/);
  });
});
