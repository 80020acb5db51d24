/**
 * `AavePositionsReader` for the scripted node (ABI-level tests): the contract's loop written over
 * the scripted pool and tokens, answering the words its comment lists. The devnet tests run the
 * real bytecode against real Aave pools.
 */
import { type Address, encodeAbiParameters, type Hex, zeroAddress } from "viem";
import { aavePositionsReaderAbi, aavePositionsReaderBytecode } from "../../abis/aavePositionsReader.js";
import { aaveV3PoolAbi } from "../../abis/aaveV3Pool.js";
import { erc20Abi } from "../../abis/erc20.js";
import type { ScriptedCreation } from "./scriptedRpc.js";

export const aavePositionsReaderModel: ScriptedCreation = {
  abi: aavePositionsReaderAbi,
  bytecode: aavePositionsReaderBytecode,
  run(args, call) {
    const [pool, aTokens, variableDebt, stableDebt, users] = args as [
      Address,
      Address[],
      Address[],
      Address[],
      Address[],
    ];
    const words: bigint[] = [];
    const balance = (token: Address, user: Address) => call(token, erc20Abi, "balanceOf", [user]) as bigint;
    for (const user of users) {
      const { data: bitmap } = call(pool, aaveV3PoolAbi, "getUserConfiguration", [user]) as { data: bigint };
      words.push(bitmap, call(pool, aaveV3PoolAbi, "getUserEMode", [user]) as bigint);
      for (let id = 0; id < aTokens.length && bitmap >> BigInt(2 * id) !== 0n; id++) {
        if (aTokens[id] === zeroAddress) continue;
        if ((bitmap >> BigInt(2 * id)) & 1n) {
          words.push(balance(variableDebt[id]!, user));
          if (stableDebt[id] !== zeroAddress) words.push(balance(stableDebt[id]!, user));
        }
        if ((bitmap >> BigInt(2 * id + 1)) & 1n) words.push(balance(aTokens[id]!, user));
      }
    }
    return encodeAbiParameters([{ type: "uint256[]" }], [words]) as Hex;
  },
};
