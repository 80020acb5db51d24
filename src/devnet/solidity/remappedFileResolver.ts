import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** An import prefix and the directory it maps to, like a Foundry remapping `prefix=dir`. */
export interface Remapping {
  readonly prefix: string;
  readonly directory: string;
}

/**
 * Builds a `resolveImport` that maps an import path through the first matching remapping and
 * reads the file; returns undefined when no remapping matches or the file does not exist.
 */
export function remappedFileResolver(remappings: readonly Remapping[]): (path: string) => string | undefined {
  return (path) => {
    for (const { prefix, directory } of remappings) {
      if (!path.startsWith(prefix)) continue;
      const file = join(directory, path.slice(prefix.length));
      if (existsSync(file)) return readFileSync(file, "utf8");
    }
    return undefined;
  };
}
