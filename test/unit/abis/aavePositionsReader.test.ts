import { describe, expect, it } from "vitest";
import { aavePositionsReaderBytecode } from "../../../abis/aavePositionsReader.js";
import { compileAavePositionsReader } from "../../../src/devnet/readers/compileReaders.js";

describe("abis/aavePositionsReader", () => {
  it("carries the creation code compiled from contracts/readers/AavePositionsReader.sol (npm run build:readers)", async () => {
    expect(aavePositionsReaderBytecode).toBe(await compileAavePositionsReader());
  }, 120_000);
});
