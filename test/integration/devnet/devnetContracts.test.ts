import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  compileDevnetContracts,
  devnetContractSources,
} from "../../../src/devnet/contracts/compileDevnetContracts.js";
import { compileSolidity, solcCacheKey } from "../../../src/devnet/solidity/compileSolidity.js";

const scratch = mkdtempSync(join(tmpdir(), "devnet-contracts-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const SETTINGS = { optimizer: { enabled: true, runs: 200 } } as const;

describe("the devnet's own contracts", () => {
  it("change their cache key when any contract source changes", () => {
    const sources = devnetContractSources();
    expect(Object.keys(sources)).toEqual(
      expect.arrayContaining([
        "contracts/PairPriceSource.sol",
        "contracts/FollowerPriceSource.sol",
        "contracts/FixedPriceSource.sol",
        "contracts/MorphoPriceOracle.sol",
      ]),
    );
    const key = solcCacheKey("0.8.19", SETTINGS, sources);
    for (const name of Object.keys(sources)) {
      const edited = { ...sources, [name]: { content: `${sources[name]?.content}\n// edited` } };
      expect(solcCacheKey("0.8.19", SETTINGS, edited)).not.toBe(key);
    }
  });

  it("compile afresh to exactly the cached bytecode", async () => {
    const cached = await compileDevnetContracts();
    const fresh = await compileSolidity({
      compiler: "0.8.19",
      sources: devnetContractSources(),
      settings: SETTINGS,
      cacheDir: scratch,
    });
    for (const name of ["PairPriceSource", "FollowerPriceSource", "FixedPriceSource", "MorphoPriceOracle"]) {
      const id = `contracts/${name}.sol:${name}`;
      expect(fresh[id]?.bytecode).toBe(cached[id]?.bytecode);
      expect(fresh[id]?.bytecode.length).toBeGreaterThan(200);
    }
  });
});
