import { UserInputError } from "../../core/errors.js";
import type { ChainClient } from "./createChainClient.js";

/**
 * Refuses to start when the RPC serves another chain than the config says: reading it would index
 * the wrong books. A config error (`chains[].id` or `rpc`), so the CLI exits 2.
 */
export async function assertChainId(client: ChainClient, expected: number, label: string): Promise<void> {
  const actual = await client.getChainId();
  if (actual !== expected)
    throw new UserInputError(
      `chain ${label}: the RPC serves chain id ${actual}, the config says ${expected}; fix chains[].id or rpc`,
      {
        details: { expected, actual },
      },
    );
}
