import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { generateBook } from "../../../bench/generateBook.js";
import { runLiquidationCurve } from "../../../src/app/runLiquidationCurve.js";
import { createProgress } from "../../../src/cli/progress.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";

function stream(isTTY: boolean) {
  const s = new PassThrough();
  let text = "";
  s.on("data", (c: Buffer) => {
    text += c.toString("utf8");
  });
  if (isTTY)
    Object.assign(s, {
      isTTY: true,
      columns: 120,
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
    });
  return { s, text: () => text };
}

describe("progress", () => {
  it("draws a bar on a terminal and nothing on a pipe", () => {
    const tty = stream(true);
    const p = createProgress(tty.s, "indexing", 4);
    p.tick("market 1: logs in blocks 0-100");
    p.update("market 1: 3 accounts read", 2);
    p.done();
    expect(tty.text()).toContain("indexing [############------------] 2/4 market 1: 3 accounts read");

    const pipe = stream(false);
    const q = createProgress(pipe.s, "indexing", 4);
    q.tick("market 1: logs in blocks 0-100");
    q.done();
    expect(pipe.text()).toBe("");
  });

  it("a curve computed in parts for progress has the same points", () => {
    const snapshot = parseSnapshot(generateBook({ positions: 300, seed: 5 }));
    const input = { snapshot, asset: "WETH", from: 0, to: -0.5, step: -0.01 };
    const seen: Array<[number, number]> = [];
    const parted = runLiquidationCurve({ ...input, onProgress: (done, total) => seen.push([done, total]) });
    const whole = runLiquidationCurve(input);
    expect(whole.points.some((p) => p.totalRepaidUsd > 0)).toBe(true);
    expect(parted).toEqual(whole);
    expect(seen.at(-1)).toEqual([51, 51]);
    expect(seen.length).toBe(17);
  });
});
