import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  compileMorphoBlue,
  MORPHO_SOLC_SETTINGS,
  morphoBlueSources,
} from "../../../src/devnet/morpho/compileMorphoBlue.js";
import { collectSources } from "../../../src/devnet/solidity/collectSources.js";
import { compileSolidity, solcCacheKey } from "../../../src/devnet/solidity/compileSolidity.js";
import { librariesNeeded, linkBytecode } from "../../../src/devnet/solidity/linkBytecode.js";
import { projectSolcCacheDir } from "../../../src/devnet/solidity/projectCacheDir.js";

const scratch = mkdtempSync(join(tmpdir(), "solc-cache-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const library = `// SPDX-License-Identifier: MIT
pragma solidity 0.8.19;
library Doubler { function double(uint256 x) external pure returns (uint256) { return 2 * x; } }
`;
const user = `// SPDX-License-Identifier: MIT
pragma solidity 0.8.19;
import {Doubler} from "./lib/Doubler.sol"; // a doubled slash, as some sources have
// import "./never/Followed.sol";
contract UsesDoubler { function run(uint256 x) external pure returns (uint256) { return Doubler.double(x); } }
`;
const settings = { optimizer: { enabled: true, runs: 200 } } as const;

describe("compileSolidity", () => {
  it("follows relative imports, ignores commented ones, and reports library placeholders", async () => {
    const resolve = (path: string) => (path === "src/lib/Doubler.sol" ? library : undefined);
    const sources = collectSources({ "src/UsesDoubler.sol": { content: user } }, resolve);
    expect(Object.keys(sources).sort()).toEqual(["src/UsesDoubler.sol", "src/lib/Doubler.sol"]);

    const cacheDir = join(scratch, "small");
    const contracts = await compileSolidity({
      compiler: "0.8.19",
      sources: { "src/UsesDoubler.sol": { content: user } },
      resolveImport: resolve,
      settings,
      cacheDir,
    });
    const usesDoubler = contracts["src/UsesDoubler.sol:UsesDoubler"]!;
    expect(librariesNeeded(usesDoubler.linkReferences)).toEqual(["src/lib/Doubler.sol:Doubler"]);
    expect(usesDoubler.bytecode).toContain("__$");

    const address = "0x00000000000000000000000000000000000000aB";
    const linked = linkBytecode(usesDoubler.bytecode, usesDoubler.linkReferences, {
      "src/lib/Doubler.sol:Doubler": address,
    });
    expect(linked).not.toContain("__$");
    expect(linked.length).toBe(usesDoubler.bytecode.length);
    const offset = usesDoubler.linkReferences["src/lib/Doubler.sol"]!.Doubler![0]!.start;
    expect(linked.slice(2 + offset * 2, 2 + offset * 2 + 40)).toBe(address.slice(2).toLowerCase());
    expect(() => linkBytecode(usesDoubler.bytecode, usesDoubler.linkReferences, {})).toThrow(/Doubler/);
    expect(readdirSync(cacheDir)).toHaveLength(1);
  });

  it("changes the cache key when any imported source, the compiler or a setting changes", () => {
    const base = { "a.sol": { content: user }, "lib/Doubler.sol": { content: library } };
    const key = solcCacheKey("0.8.19", settings, base);
    expect(
      solcCacheKey("0.8.19", settings, { ...base, "lib/Doubler.sol": { content: `${library} ` } }),
    ).not.toBe(key);
    expect(solcCacheKey("0.8.27", settings, base)).not.toBe(key);
    expect(solcCacheKey("0.8.19", { optimizer: { enabled: true, runs: 201 } }, base)).not.toBe(key);
    expect(solcCacheKey("0.8.19", { ...settings, viaIR: true }, base)).not.toBe(key);
    expect(solcCacheKey("0.8.19", settings, { ...base })).toBe(key);
  });

  it("recompiling Morpho Blue yields exactly the devnet's cached bytecode", async () => {
    const { sources, resolveImport } = morphoBlueSources();
    const key = solcCacheKey("0.8.19", MORPHO_SOLC_SETTINGS, collectSources(sources, resolveImport));
    const cached = await compileMorphoBlue();
    expect(existsSync(join(projectSolcCacheDir(), `${key}.json`))).toBe(true);
    const fresh = await compileMorphoBlue(join(scratch, "morpho"));
    expect(fresh.bytecode).toBe(cached.bytecode);
    expect(fresh.bytecode.length).toBeGreaterThan(10_000);
  });
});
