import { posix } from "node:path";
import { FatalError } from "../../core/errors.js";

export type SourceMap = Record<string, { content: string }>;

// Matches `import "x";`, `import "x" as X;`, `import {A} from "x";`, `import * as X from "x";`.
const IMPORT_PATTERN = /\bimport\s+(?:[^;'"]*?\s+from\s+)?["']([^"']+)["']/g;

// A string literal (kept) or a comment (dropped), scanned left to right so `//` inside a path survives.
const STRING_OR_COMMENT = /("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|\/\/[^\n]*|\/\*[\s\S]*?\*\//g;

/** Removes comments so that an import written inside a comment is not followed. */
function stripComments(content: string): string {
  return content.replace(STRING_OR_COMMENT, (_match, literal: string | undefined) => literal ?? "");
}

/** The source unit names a Solidity file imports, resolved the way solc does (relative to the importer). */
export function importsOf(sourceUnitName: string, content: string): string[] {
  const found: string[] = [];
  for (const match of stripComments(content).matchAll(IMPORT_PATTERN)) {
    const path = match[1];
    if (path === undefined) continue;
    found.push(
      path.startsWith(".") ? posix.normalize(posix.join(posix.dirname(sourceUnitName), path)) : path,
    );
  }
  return found;
}

/**
 * Follows every import from `entries` and returns the full set of sources the compiler will read,
 * so that a cache key can hash all of them before compiling.
 */
export function collectSources(
  entries: SourceMap,
  resolveImport?: (path: string) => string | undefined,
): SourceMap {
  const all: SourceMap = { ...entries };
  const pending = Object.keys(entries);
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const source = all[name];
    if (source === undefined) continue;
    for (const imported of importsOf(name, source.content)) {
      if (all[imported] !== undefined) continue;
      const content = resolveImport?.(imported);
      if (content === undefined) {
        throw new FatalError(`Solidity import "${imported}" (from "${name}") cannot be resolved`, {
          details: { importer: name, import: imported },
        });
      }
      all[imported] = { content };
      pending.push(imported);
    }
  }
  return all;
}
