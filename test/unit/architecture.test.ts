/**
 * The core stays pure: nothing under src/core reaches the outside world (I/O, clock, randomness,
 * environment) or depends on an adapter, the app layer or the CLI. Dependencies point one way.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const CORE = join(ROOT, "src/core");
/** Packages the core may use: pure computation only. */
const ALLOWED_PACKAGES = new Set(["zod"]);
/** Ways to reach the clock, randomness, the environment or timers without an import. */
const FORBIDDEN_GLOBALS = [
  /\bprocess\./,
  /\bDate\.now\(/,
  /\bnew Date\(/,
  /\bperformance\.now\(/,
  /\bMath\.random\(/,
  /\bsetTimeout\(/,
  /\bsetInterval\(/,
  /\bfetch\(/,
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** `import … from "x"`, `export … from "x"` and `import("x")` specifiers of a file. */
function importsOf(text: string): string[] {
  const specifiers: string[] = [];
  for (const match of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)"([^"]+)"/g))
    specifiers.push(match[1]!);
  return specifiers;
}

/** Every rule the file breaks, as readable lines. */
function violationsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const name = relative(ROOT, file);
  const out: string[] = [];
  for (const specifier of importsOf(text)) {
    if (specifier.startsWith(".")) {
      const target = resolve(dirname(file), specifier);
      if (!target.startsWith(`${CORE}/`)) out.push(`${name} imports ${specifier}, outside src/core`);
    } else if (!ALLOWED_PACKAGES.has(specifier)) {
      out.push(`${name} imports the package ${specifier}`);
    }
  }
  for (const pattern of FORBIDDEN_GLOBALS) if (pattern.test(text)) out.push(`${name} uses ${pattern.source}`);
  return out;
}

describe("the pure core", () => {
  it("imports only itself and pure packages, and reads no clock, randomness or environment", () => {
    const files = sourceFiles(CORE);
    expect(files.length).toBeGreaterThan(20);
    expect(files.flatMap(violationsOf)).toEqual([]);
  });

  it("the check catches what it is meant to catch", () => {
    const probe = [
      'import { readFileSync } from "node:fs";',
      'import { createPublicClient } from "viem";',
      'import { x } from "../adapters/chain/x.js";',
      "const now = Date.now();",
    ].join("\n");
    expect(importsOf(probe)).toEqual(["node:fs", "viem", "../adapters/chain/x.js"]);
    expect(FORBIDDEN_GLOBALS.some((p) => p.test(probe))).toBe(true);
  });
});
