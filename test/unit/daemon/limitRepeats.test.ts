import { describe, expect, it } from "vitest";
import { limitRepeats } from "../../../src/app/daemon/limitRepeats.js";

function recorder() {
  const lines: Array<{ level: string; object: Record<string, unknown>; message: string }> = [];
  const at = (level: string) => (object: Record<string, unknown>, message: string) =>
    lines.push({ level, object, message });
  return { lines, logger: { info: at("info"), warn: at("warn"), error: at("error") } };
}

describe("limitRepeats", () => {
  it("writes a repeated warning once per window, then again with the count it held back", () => {
    const { lines, logger } = recorder();
    let now = 0;
    const log = limitRepeats(logger, 60_000, () => now);
    for (let i = 0; i < 50; i++) {
      log.warn({ error: "connect ECONNREFUSED" }, "queue connection error");
      now += 1000;
    }
    // Fifty failures within a minute: one line; the 49 repeats are counted.
    expect(lines.map((l) => [l.object.repeated, l.message])).toEqual([[undefined, "queue connection error"]]);
    now = 120_000;
    log.warn({ error: "connect ECONNREFUSED" }, "queue connection error");
    expect(lines).toHaveLength(2);
    expect(lines[1]?.object.repeated).toBe(49);
  });

  it("keeps different errors apart and never holds back info lines", () => {
    const { lines, logger } = recorder();
    const log = limitRepeats(logger, 60_000, () => 0);
    log.error({ error: "a" }, "cycle failed");
    log.error({ error: "b" }, "cycle failed");
    log.error({ error: "a" }, "cycle failed");
    log.info({}, "alert firing");
    log.info({}, "alert firing");
    expect(lines.map((l) => `${l.level} ${l.message} ${String(l.object.error ?? "")}`)).toEqual([
      "error cycle failed a",
      "error cycle failed b",
      "info alert firing ",
      "info alert firing ",
    ]);
  });
});
