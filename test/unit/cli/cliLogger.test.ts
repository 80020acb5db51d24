import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createCliLogger, parseLogOptions } from "../../../src/cli/cliLogger.js";
import { runCli } from "../../../src/cli/run.js";

function capture() {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (c: Buffer) => {
    text += c.toString("utf8");
  });
  return { stream, text: () => text };
}

/** A stream that says it is a terminal, as process.stderr does on a TTY. */
function terminal() {
  const out = capture();
  Object.assign(out.stream, { isTTY: true, columns: 100 });
  return out;
}

describe("CLI logger", () => {
  it("writes JSON lines when stderr is not a terminal, pretty lines on a terminal", () => {
    const pipe = capture();
    expect(parseLogOptions(undefined, undefined, pipe.stream)).toEqual({ format: "json", level: "info" });
    const tty = terminal();
    expect(parseLogOptions(undefined, undefined, tty.stream)).toEqual({ format: "pretty", level: "info" });
    expect(parseLogOptions("json", "debug", tty.stream)).toEqual({ format: "json", level: "debug" });

    createCliLogger({ format: "json", level: "info" }, pipe.stream).info({ block: 12 }, "synced");
    const [line, ...rest] = pipe.text().trimEnd().split("\n");
    expect(rest).toEqual([]);
    expect(JSON.parse(line ?? "")).toMatchObject({
      level: 30,
      msg: "synced",
      block: 12,
      name: "cascade-monitor",
    });

    createCliLogger({ format: "pretty", level: "info" }, tty.stream).warn({ block: 12 }, "stale market");
    const pretty = tty.text();
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes
    const plain = pretty.replace(/\u001b\[[0-9;]*m/g, "");
    expect(plain).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: stale market \{"block":12\}\n$/);
    // Coloured for a terminal, and no JSON on that stream.
    expect(pretty).toContain("\u001b[");
    expect(() => JSON.parse(pretty)).toThrow();
  });

  it("honours --log-level", () => {
    const pipe = capture();
    const logger = createCliLogger({ format: "json", level: "warn" }, pipe.stream);
    logger.info({}, "hidden");
    logger.warn({}, "shown");
    expect(
      pipe
        .text()
        .trimEnd()
        .split("\n")
        .map((l) => (JSON.parse(l) as { msg: string }).msg),
    ).toEqual(["shown"]);
  });

  it("refuses an unknown format or level with exit code 2, naming the flag", async () => {
    const stderr = capture();
    const stdout = new PassThrough().resume();
    const io = { stdout, stderr: stderr.stream, signal: AbortSignal.timeout(5000) };
    expect(await runCli(["--log-format", "xml", "start", "--config", "nowhere.yaml"], io)).toBe(2);
    expect(stderr.text()).toBe("error: --log-format xml: expected one of pretty, json\n");
    const again = capture();
    expect(await runCli(["start", "--log-level", "loud"], { ...io, stderr: again.stream })).toBe(2);
    expect(again.text()).toBe(
      "error: --log-level loud: expected one of fatal, error, warn, info, debug, trace, silent\n",
    );
  });
});
