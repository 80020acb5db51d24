/**
 * The Morpho Blue indexer against a custom transport that answers like a Morpho Blue instance with
 * one market whose totals change between blocks: an untouched borrower's debt follows the share
 * price without a read, and interest is accrued to the block with the IRM's rate as the contract
 * would. Expected values are computed here by hand from the share and Taylor formulas.
 */
import {
  type Address,
  custom,
  decodeFunctionData,
  encodeAbiParameters,
  encodeEventTopics,
  encodeFunctionResult,
  type Hex,
  keccak256,
  multicall3Abi,
  numberToHex,
} from "viem";
import { describe, expect, it } from "vitest";
import { erc20Abi } from "../../../abis/erc20.js";
import { morphoBlueAbi, morphoIrmAbi, morphoOracleAbi } from "../../../abis/morphoBlue.js";
import { createChainClient } from "../../../src/adapters/chain/createChainClient.js";
import { MULTICALL3_ADDRESS } from "../../../src/adapters/chain/detectMulticall3.js";
import { getLogsAdaptive } from "../../../src/adapters/chain/getLogsAdaptive.js";
import { AssetRegistry } from "../../../src/adapters/protocols/AssetRegistry.js";
import { createMorphoBlueIndexer } from "../../../src/adapters/protocols/morpho-blue/createMorphoBlueIndexer.js";
import { assetSchema } from "../../../src/config/schema/assets.js";
import { chainSchema } from "../../../src/config/schema/chains.js";
import { morphoMarketConfigSchema } from "../../../src/config/schema/markets.js";

const MORPHO: Address = "0xBBBBBbbBBb9cC5e90e3b3Af64bdAF62C37EEFFCb";
const USDC: Address = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48";
const WETH: Address = "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2";
const ORACLE: Address = "0x00000000000000000000000000000000000000a1";
const IRM: Address = "0x00000000000000000000000000000000000000b2";
const ALICE: Address = "0x1111111111111111111111111111111111111111";
const BOB: Address = "0x2222222222222222222222222222222222222222";
const PARAMS = {
  loanToken: USDC,
  collateralToken: WETH,
  oracle: ORACLE,
  irm: IRM,
  lltv: 860_000_000_000_000_000n,
} as const;
const ID: Hex = keccak256(
  encodeAbiParameters(
    [{ type: "address" }, { type: "address" }, { type: "address" }, { type: "address" }, { type: "uint256" }],
    [USDC, WETH, ORACLE, IRM, PARAMS.lltv],
  ),
);

/** Chain state the transport serves; tests change it between reads. */
const state = {
  timestamp: 1_000_000n,
  lastUpdate: 1_000_000n,
  totalBorrowAssets: 1_000_000_000_000n,
  totalBorrowShares: 999_999_000_000_000_000n,
  borrowRate: 0n,
  shares: { [ALICE]: 333_333_333_333_333_333n, [BOB]: 123_456_789_012_345_678n } as Record<string, bigint>,
};

function answerCall(to: Address, data: Hex): Hex {
  if (to.toLowerCase() === MORPHO.toLowerCase()) {
    const { functionName, args } = decodeFunctionData({ abi: morphoBlueAbi, data });
    if (functionName === "market")
      return encodeFunctionResult({
        abi: morphoBlueAbi,
        functionName,
        result: [
          2n * state.totalBorrowAssets,
          2n * state.totalBorrowShares,
          state.totalBorrowAssets,
          state.totalBorrowShares,
          state.lastUpdate,
          0n,
        ],
      });
    if (functionName === "position") {
      const user = (args[1] as string).toLowerCase();
      const shares = Object.entries(state.shares).find(([a]) => a.toLowerCase() === user)?.[1] ?? 0n;
      return encodeFunctionResult({ abi: morphoBlueAbi, functionName, result: [0n, shares, 10n ** 18n] });
    }
    throw new Error(`unexpected morpho ${functionName}`);
  }
  if (to.toLowerCase() === ORACLE.toLowerCase())
    return encodeFunctionResult({ abi: morphoOracleAbi, functionName: "price", result: 3000n * 10n ** 24n });
  if (to.toLowerCase() === IRM.toLowerCase())
    return encodeFunctionResult({
      abi: morphoIrmAbi,
      functionName: "borrowRateView",
      result: state.borrowRate,
    });
  const { functionName } = decodeFunctionData({ abi: erc20Abi, data });
  if (functionName === "decimals")
    return encodeFunctionResult({
      abi: erc20Abi,
      functionName,
      result: to.toLowerCase() === USDC.toLowerCase() ? 6 : 18,
    });
  throw new Error(`unexpected call to ${to}`);
}

const borrowLog = (user: Address) => ({
  address: MORPHO.toLowerCase(),
  topics: encodeEventTopics({
    abi: morphoBlueAbi,
    eventName: "Borrow",
    args: { id: ID, onBehalf: user, receiver: user },
  }),
  data: encodeAbiParameters([{ type: "address" }, { type: "uint256" }, { type: "uint256" }], [user, 1n, 1n]),
  blockNumber: "0x10",
  blockHash: `0x${"ab".repeat(32)}`,
  transactionHash: `0x${"cd".repeat(32)}`,
  transactionIndex: "0x0",
  logIndex: "0x0",
  removed: false,
});
const createLog = {
  ...borrowLog(ALICE),
  topics: encodeEventTopics({ abi: morphoBlueAbi, eventName: "CreateMarket", args: { id: ID } }),
  data: encodeAbiParameters(
    [
      {
        type: "tuple",
        components: [
          { name: "loanToken", type: "address" },
          { name: "collateralToken", type: "address" },
          { name: "oracle", type: "address" },
          { name: "irm", type: "address" },
          { name: "lltv", type: "uint256" },
        ],
      },
    ],
    [PARAMS],
  ),
};

/** Block headers the indexer fetched. */
let headerReads = 0;

const transport = custom({
  async request({ method, params }: { method: string; params?: unknown }) {
    const p = params as unknown[];
    switch (method) {
      case "eth_chainId":
        return "0x1";
      case "eth_getLogs":
        return [createLog, borrowLog(ALICE), borrowLog(BOB)];
      case "eth_getBlockByNumber":
        headerReads++;
        return {
          number: "0x10",
          hash: `0x${"ef".repeat(32)}`,
          parentHash: `0x${"00".repeat(32)}`,
          timestamp: numberToHex(state.timestamp),
          transactions: [],
          logsBloom: null,
          nonce: null,
        };
      case "eth_call": {
        const call = p[0] as { to: Address; data: Hex };
        if (call.to.toLowerCase() !== MULTICALL3_ADDRESS.toLowerCase()) return answerCall(call.to, call.data);
        const { args } = decodeFunctionData({ abi: multicall3Abi, data: call.data });
        const calls = args[0] as ReadonlyArray<{ target: Address; callData: Hex }>;
        return encodeFunctionResult({
          abi: multicall3Abi,
          functionName: "aggregate3",
          result: calls.map((c) => ({ success: true, returnData: answerCall(c.target, c.callData) })),
        });
      }
      default:
        throw new Error(`unexpected ${method}`);
    }
  },
});

const toAssetsUp = (shares: bigint, assets: bigint, total: bigint): bigint =>
  (shares * (assets + 1n) + (total + 1_000_000n) - 1n) / (total + 1_000_000n);
const usdc = (wei: bigint): number => Number(wei) / 1e6;

describe("morpho-blue indexer", () => {
  const client = createChainClient(
    chainSchema.parse({ id: 1, name: "ethereum", rpc: ["http://127.0.0.1:1"] }),
    { transport },
  );
  const assets = new AssetRegistry([
    assetSchema.parse({ id: "USDC", tokens: { "1": USDC } }),
    assetSchema.parse({ id: "WETH", tokens: { "1": WETH } }),
  ]);
  const indexer = createMorphoBlueIndexer({
    client,
    config: morphoMarketConfigSchema.parse({ protocol: "morpho-blue", chain: 1, morpho: MORPHO }),
    assets,
    batchBytes: 4096,
    multicallAddress: MULTICALL3_ADDRESS,
  });
  const aliceKey = `${ID}|${ALICE}`;
  const bobKey = `${ID}|${BOB}`;

  it("recomputes an untouched borrower's debt when the market's share price moves", async () => {
    const { logs } = await getLogsAdaptive({
      client,
      ...indexer.logSources(),
      fromBlock: 0n,
      toBlock: 16n,
      maxRange: 100,
    });
    const { touched, marketsChanged } = indexer.ingest(logs);
    expect(marketsChanged).toBe(true);
    expect([...touched].sort()).toEqual([aliceKey, bobKey].sort());
    expect(indexer.keys().sort()).toEqual([aliceKey, bobKey].sort());
    await indexer.readMarkets(16n);
    const first = await indexer.readPositions([aliceKey, bobKey], 16n);
    expect(first.get(bobKey)?.debt).toEqual({
      USDC: usdc(toAssetsUp(state.shares[BOB]!, state.totalBorrowAssets, state.totalBorrowShares)),
    });
    // Someone borrows: assets and shares grow unevenly; only Alice is read again.
    state.totalBorrowAssets += 777_777_777n;
    state.totalBorrowShares += 777_000_000_000_000n;
    await indexer.readMarkets(17n);
    const second = await indexer.readPositions([aliceKey], 17n);
    expect(second.get(bobKey)?.debt).toEqual({
      USDC: usdc(toAssetsUp(state.shares[BOB]!, state.totalBorrowAssets, state.totalBorrowShares)),
    });
    expect(second.get(bobKey)?.debt.USDC).not.toBe(first.get(bobKey)?.debt.USDC);
  });

  it("accrues interest to the block with the IRM's rate and the contract's Taylor expansion", async () => {
    state.borrowRate = 1_585_489_599n; // ≈ 5% a year per second, WAD
    state.timestamp = state.lastUpdate + 86_400n;
    const reading = await indexer.readMarkets(18n);
    expect(reading.prices).toEqual([
      { asset: "WETH", kind: "relative", ratio: 3000, quoteAsset: "USDC", source: `morpho-blue:1:${ID}` },
    ]);
    const positions = await indexer.readPositions([aliceKey], 18n);
    const wad = 10n ** 18n;
    const x = state.borrowRate * 86_400n;
    const second = (x * x) / (2n * wad);
    const third = (second * x) / (3n * wad);
    const accrued = state.totalBorrowAssets + (state.totalBorrowAssets * (x + second + third)) / wad;
    expect(positions.get(aliceKey)?.debt).toEqual({
      USDC: usdc(toAssetsUp(state.shares[ALICE]!, accrued, state.totalBorrowShares)),
    });
    expect(positions.get(bobKey)?.debt).toEqual({
      USDC: usdc(toAssetsUp(state.shares[BOB]!, accrued, state.totalBorrowShares)),
    });

    // The same block's time given by the caller (the sync holds the head's header): the same
    // interest, and no header read.
    headerReads = 0;
    await indexer.readMarkets(18n, state.timestamp);
    expect(headerReads).toBe(0);
    expect((await indexer.readPositions([aliceKey], 18n)).get(aliceKey)).toEqual(positions.get(aliceKey));
    // A day later by the caller's clock: a day more of interest, still no header read.
    await indexer.readMarkets(18n, state.timestamp + 86_400n);
    expect(headerReads).toBe(0);
    const later = (await indexer.readPositions([aliceKey], 18n)).get(aliceKey)?.debt.USDC ?? 0;
    expect(later).toBeGreaterThan(positions.get(aliceKey)?.debt.USDC ?? Number.POSITIVE_INFINITY);
  });
});
