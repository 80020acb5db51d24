import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** `.cache/solc` under the project root (the nearest folder above this module holding package.json). */
export function projectSolcCacheDir(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, "package.json"))) {
    const parent = dirname(directory);
    if (parent === directory) return join(process.cwd(), ".cache", "solc");
    directory = parent;
  }
  return join(directory, ".cache", "solc");
}
