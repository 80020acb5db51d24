/** Writes `abis/aavePositionsReader.ts` from `contracts/readers/AavePositionsReader.sol` (`npm run build:readers`). */
import { writeFileSync } from "node:fs";
import { compileAavePositionsReader } from "../src/devnet/readers/compileReaders.js";
import { aavePositionsReaderModule } from "../src/devnet/readers/readerModule.js";

const bytecode = await compileAavePositionsReader();
writeFileSync(
  new URL("../abis/aavePositionsReader.ts", import.meta.url),
  aavePositionsReaderModule(bytecode),
);
process.stdout.write(`abis/aavePositionsReader.ts: ${(bytecode.length - 2) / 2} bytes of creation code\n`);
