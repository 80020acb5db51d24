import { describe, expect, it } from "vitest";
import {
  positionsFromColumns,
  positionsToColumns,
} from "../../../src/adapters/store/positionsAtRiskColumns.js";
import { samplePositionsAtRisk } from "../../helpers/positionsAtRisk.js";

const list = samplePositionsAtRisk;

describe("positions at risk as columns", () => {
  it("read back as they were written, field for field and in order", () => {
    const columns = positionsToColumns(list);
    expect(columns.markets).toEqual([
      { market: "aave-v3:1", protocol: "aave-v3" },
      { market: "morpho:1:x", protocol: "morpho-blue" },
      { market: "aave-v3:1", protocol: "spark" },
    ]);
    const read = positionsFromColumns(columns);
    expect(JSON.stringify(read)).toBe(JSON.stringify(list));
  });

  it("write a list read from columns back as those columns, and walk any other list", () => {
    // As a summary task's result arrives: columns parsed from JSON.
    const columns = JSON.parse(JSON.stringify(positionsToColumns(list)));
    const read = positionsFromColumns(columns);
    expect(positionsToColumns(read)).toBe(columns);
    // An equal list made apart from them is encoded afresh, to the same columns.
    const copy = read.map((p) => ({ ...p }));
    const encoded = positionsToColumns(copy);
    expect(encoded).not.toBe(columns);
    expect(encoded).toEqual(columns);
  });
});
