import { type Address, type Hex, numberToHex } from "viem";
import { FatalError } from "../../core/errors.js";
import { rpcBatch } from "../seed/rpcBatch.js";

/** Lets `address` send transactions on anvil without its key (impersonation) and gives it ether for gas. */
export async function prepareDevnetActor(rpcUrl: string, address: Address): Promise<void> {
  await rpcBatch(rpcUrl, [
    { method: "anvil_impersonateAccount", params: [address] },
    { method: "anvil_setBalance", params: [address, numberToHex(10n ** 24n)] },
  ]);
}

/** One transaction of a batch: the sender must be unlocked or impersonated on anvil. */
export interface BatchCall {
  readonly to: Address;
  readonly data: Hex;
  /** Gas limit; explicit because estimates against the pre-batch state would be wrong. */
  readonly gas?: bigint;
}

export interface MinedBatch {
  readonly blockNumber: bigint;
  /** Receipts in call order: `status` and `logs` as anvil returns them. */
  readonly receipts: ReadonlyArray<{
    status: Hex;
    logs: Array<{ address: Address; topics: [Hex, ...Hex[]]; data: Hex }>;
  }>;
}

const DEFAULT_GAS = 3_000_000n;

/**
 * Sends `calls` from `from` into one block: automine off, one JSON-RPC batch of
 * `eth_sendTransaction` with explicit consecutive nonces and gas, then `evm_mine`
 * (anvil executes batch members concurrently, so automatic nonces would collide).
 * Automine is restored to what it was.
 */
export async function sendCallsInOneBlock(
  rpcUrl: string,
  from: Address,
  calls: readonly BatchCall[],
): Promise<MinedBatch> {
  if (calls.length === 0) return { blockNumber: -1n, receipts: [] };
  const [automine, nonceHex] = (await rpcBatch(rpcUrl, [
    { method: "anvil_getAutomine", params: [] },
    { method: "eth_getTransactionCount", params: [from, "pending"] },
  ])) as [boolean, Hex];
  if (automine) await rpcBatch(rpcUrl, [{ method: "evm_setAutomine", params: [false] }]);
  try {
    const nonce = BigInt(nonceHex);
    const hashes = (await rpcBatch(
      rpcUrl,
      calls.map((call, index) => ({
        method: "eth_sendTransaction",
        params: [
          {
            from,
            to: call.to,
            data: call.data,
            gas: numberToHex(call.gas ?? DEFAULT_GAS),
            nonce: numberToHex(nonce + BigInt(index)),
          },
        ],
      })),
    )) as Hex[];
    await rpcBatch(rpcUrl, [{ method: "evm_mine", params: [] }]);
    const [blockHex] = (await rpcBatch(rpcUrl, [{ method: "eth_blockNumber", params: [] }])) as [Hex];
    const receipts = (await rpcBatch(
      rpcUrl,
      hashes.map((hash) => ({ method: "eth_getTransactionReceipt", params: [hash] })),
    )) as Array<MinedBatch["receipts"][number] | null>;
    if (receipts.some((receipt) => receipt === null)) {
      throw new FatalError(
        `devnet: ${receipts.filter((r) => r === null).length} batched transactions were not mined`,
      );
    }
    return { blockNumber: BigInt(blockHex), receipts: receipts as MinedBatch["receipts"] };
  } finally {
    if (automine) await rpcBatch(rpcUrl, [{ method: "evm_setAutomine", params: [true] }]);
  }
}
