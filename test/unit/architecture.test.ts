/**
 * The core stays pure: nothing under src/core reaches the outside world (I/O, clock, randomness,
 * environment) or depends on an adapter, the app layer or the CLI. Dependencies point one way.
 * The devnet (src/devnet) is a tool beside the product: it uses core and adapters like any caller,
 * the product's core, adapters and config never depend on it, and it depends on no use case or command.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const CORE = join(ROOT, "src/core");
const DEVNET = join(ROOT, "src/devnet");
/** Folders of the product that must not reach into the devnet. */
const PRODUCT_WITHOUT_DEVNET = ["src/core", "src/adapters", "src/config"].map((dir) => join(ROOT, dir));
/** Layers above the devnet: it must not reach up into them. */
const ABOVE_DEVNET = ["src/app", "src/cli", "src/main.ts"].map((dir) => join(ROOT, dir));
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

/** Relative imports of `file` (whose text is `text`) that land inside one of `forbidden` (folders or files). */
function reachesInto(file: string, text: string, forbidden: readonly string[], what: string): string[] {
  return importsOf(text)
    .filter((specifier) => specifier.startsWith("."))
    .filter((specifier) => {
      const target = resolve(dirname(file), specifier).replace(/\.js$/, ".ts");
      return forbidden.some((f) => target === f || target.startsWith(`${f}/`));
    })
    .map((specifier) => `${relative(ROOT, file)} imports ${specifier}, ${what}`);
}

const reachesIntoFile = (forbidden: readonly string[], what: string) => (file: string) =>
  reachesInto(file, readFileSync(file, "utf8"), forbidden, what);

describe("the devnet beside the product", () => {
  it("is never imported by core, adapters or config", () => {
    const files = PRODUCT_WITHOUT_DEVNET.flatMap(sourceFiles);
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap(reachesIntoFile([DEVNET], "the devnet"))).toEqual([]);
  });

  it("imports no use case, command or the wiring file", () => {
    const files = sourceFiles(DEVNET);
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap(reachesIntoFile(ABOVE_DEVNET, "above the devnet"))).toEqual([]);
  });

  it("the check catches an import into the devnet and one up into the app, and lets the rest pass", () => {
    const adapter = join(ROOT, "src/adapters/chain/x.ts");
    const probe = [
      'import { startDevnet } from "../../devnet/startDevnet.js";',
      'import { readAaveMarket } from "../protocols/aave-v3/readAaveMarket.js";',
    ].join("\n");
    expect(reachesInto(adapter, probe, [DEVNET], "the devnet")).toEqual([
      "src/adapters/chain/x.ts imports ../../devnet/startDevnet.js, the devnet",
    ]);
    const devnetFile = join(DEVNET, "liquidator/x.ts");
    const up = [
      'import { runValidation } from "../../app/validate/runValidation.js";',
      'import { main } from "../../main.js";',
      'import { readAaveMarket } from "../../adapters/protocols/aave-v3/readAaveMarket.js";',
    ].join("\n");
    expect(reachesInto(devnetFile, up, ABOVE_DEVNET, "above")).toHaveLength(2);
  });
});

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
