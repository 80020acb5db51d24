/**
 * Runs a benchmark script in a fresh Node process (same loader flags as this one) and collects
 * the rows it prints on stdout, one JSON object per line; its stderr is passed through. A fresh
 * process per measurement keeps heap and peak-RSS figures from mixing across book sizes.
 */
import { spawn } from "node:child_process";
import type { BenchRow } from "./benchSuite.js";

export function runInChild(
  script: string,
  args: readonly string[],
  emit: (row: BenchRow) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, script, ...args], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let pending = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      pending += chunk;
      let newline = pending.indexOf("\n");
      while (newline >= 0) {
        const line = pending.slice(0, newline).trim();
        pending = pending.slice(newline + 1);
        if (line !== "") emit(JSON.parse(line) as BenchRow);
        newline = pending.indexOf("\n");
      }
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${script} ${args.join(" ")} exited with ${code}`));
    });
  });
}
