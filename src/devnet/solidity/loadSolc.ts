import { createRequire } from "node:module";
import type { SolcModule, SolcVersion } from "./solcTypes.js";

const require = createRequire(import.meta.url);

/** Loads the solc-js build of `version` (its emscripten module takes a second or two to start). */
export function loadSolc(version: SolcVersion): SolcModule {
  return require(`solc-${version}`) as SolcModule;
}
