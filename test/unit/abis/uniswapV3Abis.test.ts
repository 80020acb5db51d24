/**
 * The typed Uniswap V3 ABIs in abis/ against the ABIs shipped with the bytecode the devnet deploys
 * (@uniswap/v3-core, @uniswap/v3-periphery): every function and event we declare exists there with
 * the same signature, and the pool's creation code is mainnet's (its init-code hash).
 */
import { createRequire } from "node:module";
import { type Abi, keccak256, parseAbi, toEventSignature, toFunctionSignature } from "viem";
import { describe, expect, it } from "vitest";
import { uniswapV3FactoryAbi } from "../../../abis/uniswapV3Factory.js";
import { uniswapV3PoolAbi } from "../../../abis/uniswapV3Pool.js";
import { uniswapV3PositionManagerAbi } from "../../../abis/uniswapV3PositionManager.js";
import { uniswapV3QuoterV2Abi } from "../../../abis/uniswapV3QuoterV2.js";
import { uniswapV3SwapRouterAbi } from "../../../abis/uniswapV3SwapRouter.js";
import { loadPackageArtifact } from "../../../src/devnet/deploy/loadPackageArtifact.js";
import {
  MAINNET_POOL_INIT_CODE_HASH,
  UNISWAP_V3_FACTORY,
  UNISWAP_V3_POOL,
  UNISWAP_V3_POSITION_MANAGER,
  UNISWAP_V3_QUOTER_V2,
  UNISWAP_V3_SWAP_ROUTER,
} from "../../../src/devnet/uniswap/deployUniswapV3.js";

const require = createRequire(import.meta.url);

const signatures = (abi: Abi): string[] =>
  abi.flatMap((item) =>
    item.type === "function"
      ? [toFunctionSignature(item)]
      : item.type === "event"
        ? [toEventSignature(item)]
        : [],
  );

describe("Uniswap V3 ABIs and bytecode", () => {
  it.each([
    ["UniswapV3Factory", uniswapV3FactoryAbi, UNISWAP_V3_FACTORY],
    ["UniswapV3Pool", uniswapV3PoolAbi, UNISWAP_V3_POOL],
    ["NonfungiblePositionManager", uniswapV3PositionManagerAbi, UNISWAP_V3_POSITION_MANAGER],
    ["SwapRouter", uniswapV3SwapRouterAbi, UNISWAP_V3_SWAP_ROUTER],
    ["QuoterV2", uniswapV3QuoterV2Abi, UNISWAP_V3_QUOTER_V2],
  ] as const)("%s: every declared function and event is in the package's ABI", (_, ours, artifact) => {
    const theirs = new Set(signatures((require(artifact) as { abi: Abi }).abi));
    const declared = signatures(ours);
    expect(declared.length).toBeGreaterThan(0);
    expect(declared.filter((signature) => !theirs.has(signature))).toEqual([]);
  });

  it("the check would catch a wrong signature", () => {
    const theirs = new Set(signatures((require(UNISWAP_V3_FACTORY) as { abi: Abi }).abi));
    const right = signatures(parseAbi(["function getPool(address, address, uint24) view returns (address)"]));
    const wrong = signatures(parseAbi(["function getPool(address, address, uint16) view returns (address)"]));
    expect(right.filter((signature) => !theirs.has(signature))).toEqual([]);
    expect(wrong.filter((signature) => !theirs.has(signature))).toEqual(wrong);
  });

  it("the pool's creation code hashes to mainnet's init-code hash", () => {
    expect(MAINNET_POOL_INIT_CODE_HASH).toBe(
      "0xe34f199b19b2b4f47f68442619d555527d244f78a3297ea89325f843f87b8b54",
    );
    expect(keccak256(loadPackageArtifact(UNISWAP_V3_POOL).bytecode)).toBe(MAINNET_POOL_INIT_CODE_HASH);
  });
});
