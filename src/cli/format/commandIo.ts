import type { CliIo } from "../io.js";

/** Writes a document as one line of JSON on stdout (nothing else goes to stdout with `--json`). */
export function writeJson(io: CliIo, document: unknown): void {
  io.stdout.write(`${JSON.stringify(document)}\n`);
}

/** Writes lines of text on stdout. */
export function writeLines(io: CliIo, lines: readonly string[]): void {
  io.stdout.write(`${lines.join("\n")}\n`);
}

/** Collects a repeatable option's values (commander's option argument parser). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
