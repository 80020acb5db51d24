import { describe, expect, it } from "vitest";
import { jsonErrorPosition, lineColumn } from "../../../src/app/jsonErrorPosition.js";

describe("jsonErrorPosition", () => {
  it("is undefined for valid JSON", () => {
    for (const text of ['{"a":[1,-2.5e3,true,false,null,"x\\u00e9\\n"]}', " [] ", '"s"', "0"]) {
      expect(JSON.parse(text)).toBeDefined();
      expect(jsonErrorPosition(text)).toBeUndefined();
    }
  });

  it("points at the first character that breaks the grammar", () => {
    const cases: [string, number][] = [
      ['{"a":x}', 5],
      ['{"a":1,}', 7],
      ["[1,]", 3],
      ['{"a" 1}', 5],
      ["[01]", 2],
      ['{"a":1}x', 7],
      ['{"a":tru}', 8],
      ['"abc', 4],
      ['"a\\qb"', 3],
      ["", 0],
      ["[1,2", 4],
    ];
    for (const [text, position] of cases) {
      expect(() => JSON.parse(text)).toThrow();
      expect(jsonErrorPosition(text), text).toBe(position);
    }
  });
});

describe("lineColumn", () => {
  it("counts lines and columns from 1", () => {
    expect(lineColumn("ab\ncd\nef", 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn("ab\ncd\nef", 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn("ab\ncd\nef", 6)).toEqual({ line: 3, column: 1 });
  });
});
