import { describe, expect, it } from "vitest";
import { createLogSink } from "../../../src/adapters/sinks/logSink.js";
import { notification } from "./notificationFixture.js";

describe("log sink", () => {
  it("writes one warn line for a firing notification and one info line for a resolved one", async () => {
    const lines: Array<{ level: string; object: Record<string, unknown>; message: string }> = [];
    const logger = {
      info: (object: Record<string, unknown>, message: string) =>
        lines.push({ level: "info", object, message }),
      warn: (object: Record<string, unknown>, message: string) =>
        lines.push({ level: "warn", object, message }),
    };
    const sink = createLogSink("log", logger);
    await sink.deliver(notification(), AbortSignal.timeout(1000));
    await sink.deliver(notification({ status: "resolved" }), AbortSignal.timeout(1000));
    expect(lines.map((l) => [l.level, l.object.notificationId, l.object.status])).toEqual([
      ["warn", "0123456789abcdef", "firing"],
      ["info", "0123456789abcdef", "resolved"],
    ]);
    expect(lines[0]?.message).toBe(
      "alert firing: eth-20 (WETH -20.00%): 12 liquidations repay $2,500,000 (threshold $1,000,000), 3 rounds",
    );
  });
});
