import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Hex, PublicClient, TestClient } from "viem";
import { FatalError } from "../../core/errors.js";
import { MULTICALL3_ADDRESS } from "./devnetChain.js";

const require = createRequire(import.meta.url);

/**
 * Multicall3's creation bytecode as viem ships it (viem uses it for deployless multicalls; it is
 * not in viem's public exports, so it is read from the installed package's module file).
 */
export async function loadMulticall3CreationCode(): Promise<Hex> {
  const viemRoot = dirname(require.resolve("viem/package.json"));
  const moduleUrl = pathToFileURL(join(viemRoot, "_esm", "constants", "contracts.js")).href;
  const contracts: unknown = await import(moduleUrl);
  const code = (contracts as { multicall3Bytecode?: unknown }).multicall3Bytecode;
  if (typeof code !== "string" || !code.startsWith("0x")) {
    throw new FatalError("devnet: viem no longer ships multicall3Bytecode");
  }
  return code as Hex;
}

/**
 * Puts Multicall3 at its canonical address: runs the creation code in an `eth_call` (which returns
 * the runtime code) and writes that with `anvil_setCode`.
 */
export async function installMulticall3(client: PublicClient, testClient: TestClient): Promise<void> {
  const creationCode = await loadMulticall3CreationCode();
  const { data: runtimeCode } = await client.call({ data: creationCode });
  if (runtimeCode === undefined || runtimeCode === "0x") {
    throw new FatalError("devnet: Multicall3 creation code returned no runtime code");
  }
  await testClient.setCode({ address: MULTICALL3_ADDRESS, bytecode: runtimeCode });
}
