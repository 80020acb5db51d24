/** The VaR use case reports its progress (for the CLI's bar) without changing the report. */
import { describe, expect, it } from "vitest";
import { generateBook } from "../../../bench/generateBook.js";
import { runValueAtRisk } from "../../../src/app/risk/runValueAtRisk.js";
import { compileBook } from "../../../src/core/book/compileBook.js";
import { buildReturnModel } from "../../../src/core/risk/buildReturnModel.js";
import { valueAtRisk } from "../../../src/core/risk/valueAtRisk.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";

describe("runValueAtRisk progress", () => {
  it("tells the paths done in order up to the total, and the report is the plain one", async () => {
    const snapshot = parseSnapshot(JSON.parse(JSON.stringify(generateBook({ positions: 200, seed: 5 }))));
    const model = buildReturnModel(snapshot, { defaultVolatility: 1.2 });
    const run = { model, horizonHours: 24, pathCount: 120, seed: 9 };
    const seen: Array<[number, number]> = [];
    const report = await runValueAtRisk(
      { kind: "snapshot", snapshot, overrides: [], key: "book" },
      run,
      undefined,
      (done, total) => seen.push([done, total]),
    );
    expect(seen.map(([, total]) => total).every((t) => t === 120)).toBe(true);
    expect(seen.map(([done]) => done)).toEqual([50, 100, 120]);
    expect(JSON.parse(JSON.stringify(report))).toEqual(
      JSON.parse(JSON.stringify(valueAtRisk(compileBook(snapshot), run))),
    );
  });
});
