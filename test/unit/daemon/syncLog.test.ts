import { describe, expect, it } from "vitest";
import { syncLog } from "../../../src/app/daemon/syncLog.js";

function recorder() {
  const lines: Array<{ level: string; object: Record<string, unknown>; message: string }> = [];
  const at = (level: string) => (object: Record<string, unknown>, message: string) =>
    lines.push({ level, object, message });
  return { lines, logger: { info: at("info"), warn: at("warn"), error: at("error") } };
}

describe("syncLog", () => {
  it("logs the event as the message, the facts as fields and the line as detail, at the line's level", () => {
    const { lines, logger } = recorder();
    const log = syncLog(logger);
    log("chain mainnet: aave: stale at block 100 (HTTP 500 from https://rpc.example/key-123)", {
      event: "market stale",
      level: "warn",
      chain: "mainnet",
      chainId: 1,
      block: 100,
      markets: ["aave-v3:1:0xpool"],
      error: "HTTP 500 from https://rpc.example/key-123",
    });
    log("chain mainnet: aave: 3 accounts read", { event: "accounts read", chain: "mainnet", block: 101 });
    log("a line without fields");
    expect(lines.map((l) => [l.level, l.message])).toEqual([
      ["warn", "market stale"],
      ["info", "accounts read"],
      ["info", "sync"],
    ]);
    expect(lines[0]?.object).toMatchObject({
      chain: "mainnet",
      chainId: 1,
      block: 100,
      markets: ["aave-v3:1:0xpool"],
    });
    expect(JSON.stringify(lines)).not.toContain("key-123");
    expect(lines[0]?.object.detail).toMatch(/^chain mainnet: aave: stale at block 100/);
    expect(lines[0]?.object).not.toHaveProperty("level");
    expect(lines[2]?.object).toEqual({ detail: "a line without fields" });
  });
});
