/**
 * Every command that reads a snapshot reads an Arrow file as it reads the JSON one (the format
 * is told by the file's first bytes): the same report from both (with and without overrides: the
 * book compiled from the columns, or from the changed snapshot), and a bad Arrow file refused
 * with the JSON's error, naming the file.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateBookV2 } from "../../../bench/generateBookV2.js";
import {
  encodeArrowSnapshot,
  type SnapshotDocument,
} from "../../../src/adapters/snapshot/encodeArrowSnapshot.js";
import { loadSnapshotFile } from "../../../src/app/loadSnapshotFile.js";
import { cli, tempDir } from "../../helpers/cliHarness.js";

const dir = tempDir();
const writeBytes = (name: string, bytes: Uint8Array): string => {
  const file = join(dir.path, name);
  writeFileSync(file, bytes);
  return file;
};
afterAll(() => dir.remove());

const document = JSON.parse(JSON.stringify(generateBookV2({ positions: 400, seed: 3 }))) as SnapshotDocument;
const aaveMarket = (document.markets as Array<{ id: string; protocol: string }>).find(
  (m) => m.protocol === "aave-v3",
)!.id;
const jsonFile = dir.write("book.json", JSON.stringify(document));
const arrowFile = writeBytes("book.arrow", encodeArrowSnapshot(document));
const badDocument = {
  ...document,
  positions: document.positions.map((p, i) => (i === 7 ? { ...p, debt: { USDC: Number.NaN } } : p)),
};
const badArrow = writeBytes("bad.arrow", encodeArrowSnapshot(badDocument));

describe("Arrow snapshot files", () => {
  it("load as the JSON file does", async () => {
    expect(await loadSnapshotFile(arrowFile)).toEqual(await loadSnapshotFile(jsonFile));
    await expect(loadSnapshotFile(badArrow)).rejects.toThrow(
      `positions[7].debt.USDC: not a number (in ${badArrow})`,
    );
  });

  it.each([
    ["simulate", "--shock", "WETH=-0.3", "--json"],
    ["curve", "--asset", "WETH", "--json"],
    ["critical", "--asset", "WETH", "--json"],
    [
      "simulate",
      "--shock",
      "WETH=-0.3",
      "--override",
      `${aaveMarket}:WETH.liquidationThreshold=0.7`,
      "--json",
    ],
  ])("give %s the same output as the JSON file", async (command, ...args) => {
    const fromJson = await cli(command, "--snapshot", jsonFile, ...args);
    const fromArrow = await cli(command, "--snapshot", arrowFile, ...args);
    expect(fromArrow.code).toBe(0);
    expect(fromArrow.stdout).toBe(fromJson.stdout);
  });

  it("refuses a bad Arrow file with the JSON's error, exit 2", async () => {
    const result = await cli("simulate", "--snapshot", badArrow, "--shock", "WETH=-0.3");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("positions[7].debt.USDC: not a number");
  });
});
