/**
 * Mines one devnet block in which `count` Aave V3.6 USDC borrowers each borrow one more unit
 * (impersonated, automine off, every transaction in one block, automine back on). Turning automine
 * back on mines nothing more: the touched block is the head, and a step that follows finds exactly
 * one new block (the indexer-speed suite checks it). Returns the accounts touched.
 */
import { encodeFunctionData, numberToHex } from "viem";
import { aaveV3PoolAbi } from "../abis/aaveV3Pool.js";
import { rpcBatch } from "../src/devnet/seed/rpcBatch.js";
import type { Devnet } from "../src/devnet/startDevnet.js";

export async function touchAaveBorrowers(devnet: Devnet, count: number, skip = 0): Promise<string[]> {
  const v36 = devnet.deployment.aave["aave-v3.6"];
  const usdc = devnet.deployment.tokens.USDC;
  if (v36 === undefined || usdc === undefined) throw new Error("the devnet has no Aave V3.6 USDC market");
  const borrowers = [
    ...new Set(
      devnet.positions
        .filter((p) => p.protocol === "aave-v3" && p.market === "aave-v3.6" && p.debt.asset === "USDC")
        .map((p) => p.account),
    ),
  ].slice(skip, skip + count);
  if (borrowers.length < count)
    throw new Error(`the devnet has ${borrowers.length} Aave V3.6 USDC borrowers past ${skip}, not ${count}`);
  const data = (account: `0x${string}`) =>
    encodeFunctionData({
      abi: aaveV3PoolAbi,
      functionName: "borrow",
      args: [usdc.address, 1n, 2n, 0, account],
    });
  await rpcBatch(devnet.rpcUrl, [
    { method: "evm_setAutomine", params: [false] },
    ...borrowers.flatMap((account) => [
      { method: "anvil_impersonateAccount", params: [account] },
      { method: "anvil_setBalance", params: [account, numberToHex(10n ** 20n)] },
    ]),
  ]);
  const nonces = (await rpcBatch(
    devnet.rpcUrl,
    borrowers.map((account) => ({ method: "eth_getTransactionCount", params: [account, "latest"] })),
  )) as string[];
  await rpcBatch(
    devnet.rpcUrl,
    borrowers.map((account, i) => ({
      method: "eth_sendTransaction",
      params: [
        { from: account, to: v36.pool, data: data(account), gas: numberToHex(1_000_000n), nonce: nonces[i] },
      ],
    })),
  );
  await rpcBatch(devnet.rpcUrl, [{ method: "evm_mine", params: [] }]);
  await rpcBatch(devnet.rpcUrl, [{ method: "evm_setAutomine", params: [true] }]);
  return borrowers;
}
