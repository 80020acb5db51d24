/**
 * Compound V3 at the ABI level. There is no Comet bytecode offline, so this test builds what a
 * mainnet cUSDCv3 would answer: every return value and log is encoded with viem from the published
 * ABI (abis/compoundV3Comet.ts) and served by a custom transport that decodes each eth_call
 * (through Multicall3's aggregate3, as on mainnet). What it proves: the reader's calls, decoding,
 * scaling (1e18 factors, 1e8 prices, asset scales) and borrower discovery; not Comet's own math.
 */
import {
  type Address,
  custom,
  decodeFunctionData,
  encodeAbiParameters,
  encodeEventTopics,
  encodeFunctionResult,
  type Hex,
  multicall3Abi,
  numberToHex,
} from "viem";
import { describe, expect, it } from "vitest";
import { compoundV3CometAbi } from "../../../abis/compoundV3Comet.js";
import { createChainClient } from "../../../src/adapters/chain/createChainClient.js";
import { MULTICALL3_ADDRESS } from "../../../src/adapters/chain/detectMulticall3.js";
import { getLogsAdaptive } from "../../../src/adapters/chain/getLogsAdaptive.js";
import { AssetRegistry } from "../../../src/adapters/protocols/AssetRegistry.js";
import {
  createCompoundV3Indexer,
  decimalsOfScale,
} from "../../../src/adapters/protocols/compound-v3/createCompoundV3Indexer.js";
import { assetSchema } from "../../../src/config/schema/assets.js";
import { chainSchema } from "../../../src/config/schema/chains.js";
import { compoundMarketConfigSchema } from "../../../src/config/schema/markets.js";

const COMET: Address = "0xc3d688B66703497DAA19211EEdff47f25384cdc3";
const USDC: Address = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48";
const WETH: Address = "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2";
const WBTC: Address = "0x2260FAC5E5542a773Aa44fBCfeDf7C193bc2C599";
const FEED = (n: number): Address => `0x${n.toString(16).padStart(40, "0")}`;
const BORROWER: Address = "0x1111111111111111111111111111111111111111";
const SUPPLIER: Address = "0x2222222222222222222222222222222222222222";
const TRANSFERRER: Address = "0x3333333333333333333333333333333333333333";
const ZERO: Address = "0x0000000000000000000000000000000000000000";

const e18 = 10n ** 18n;
/** cUSDCv3-shaped assets: scale 10^decimals, factors 1e18-scaled. */
const ASSETS = [
  {
    offset: 0,
    asset: WETH,
    priceFeed: FEED(0xe1),
    scale: 10n ** 18n,
    borrowCollateralFactor: (83n * e18) / 100n,
    liquidateCollateralFactor: (90n * e18) / 100n,
    liquidationFactor: (95n * e18) / 100n,
    supplyCap: 10n ** 24n,
  },
  {
    offset: 1,
    asset: WBTC,
    priceFeed: FEED(0xb1),
    scale: 10n ** 8n,
    borrowCollateralFactor: (70n * e18) / 100n,
    liquidateCollateralFactor: (77n * e18) / 100n,
    liquidationFactor: (95n * e18) / 100n,
    supplyCap: 10n ** 12n,
  },
] as const;
const PRICES: Record<string, bigint> = {
  [FEED(0xba)]: 100_000_000n,
  [FEED(0xe1)]: 3_012_34567890n,
  [FEED(0xb1)]: 61_234_50000000n,
};
const BORROW_BALANCE = 12_345_678_901n; // 12,345.678901 USDC
const COLLATERAL: Record<string, bigint> = { [WETH]: 3_500_000_000_000_000_001n, [WBTC]: 12_345_678n };

function answer(data: Hex): Hex {
  const { functionName, args } = decodeFunctionData({ abi: compoundV3CometAbi, data });
  const encode = (result: unknown): Hex =>
    encodeFunctionResult({ abi: compoundV3CometAbi, functionName, result } as never);
  switch (functionName) {
    case "baseToken":
      return encode(USDC);
    case "baseTokenPriceFeed":
      return encode(FEED(0xba));
    case "decimals":
      return encode(6);
    case "numAssets":
      return encode(ASSETS.length);
    case "getAssetInfo":
      return encode(ASSETS[Number(args[0])]);
    case "getPrice":
      return encode(PRICES[(args[0] as string).toLowerCase()]);
    case "borrowBalanceOf":
      return encode(args[0] === BORROWER ? BORROW_BALANCE : 0n);
    case "userCollateral":
      return encode([args[0] === BORROWER ? (COLLATERAL[args[1] as string] ?? 0n) : 0n, 0n]);
    default:
      throw new Error(`unexpected ${functionName}`);
  }
}

function log(
  eventName: "Withdraw" | "Supply" | "SupplyCollateral" | "Transfer",
  args: Record<string, unknown>,
  data: Hex,
  blockNumber: number,
) {
  return {
    address: COMET.toLowerCase(),
    topics: encodeEventTopics({ abi: compoundV3CometAbi, eventName, args } as never),
    data,
    blockNumber: numberToHex(blockNumber),
    blockHash: `0x${"ab".repeat(32)}`,
    transactionHash: `0x${"cd".repeat(32)}`,
    transactionIndex: "0x0",
    logIndex: numberToHex(blockNumber),
    removed: false,
  };
}

const LOGS = [
  log(
    "SupplyCollateral",
    { from: BORROWER, dst: BORROWER, asset: WETH },
    encodeAbiParameters([{ type: "uint256" }], [COLLATERAL[WETH]!]),
    100,
  ),
  log(
    "Withdraw",
    { src: BORROWER, to: BORROWER },
    encodeAbiParameters([{ type: "uint256" }], [BORROW_BALANCE]),
    101,
  ),
  log(
    "Supply",
    { from: SUPPLIER, dst: SUPPLIER },
    encodeAbiParameters([{ type: "uint256" }], [10n ** 12n]),
    102,
  ),
  // Comet mints on supply (from the zero address) and a transfer beyond the balance borrows.
  log(
    "Transfer",
    { from: ZERO, to: SUPPLIER },
    encodeAbiParameters([{ type: "uint256" }], [10n ** 12n]),
    102,
  ),
  log(
    "Transfer",
    { from: TRANSFERRER, to: SUPPLIER },
    encodeAbiParameters([{ type: "uint256" }], [10n ** 6n]),
    103,
  ),
];

const transport = custom({
  async request({ method, params }: { method: string; params?: unknown }) {
    const p = params as unknown[];
    switch (method) {
      case "eth_chainId":
        return "0x1";
      case "eth_getCode":
        return (p[0] as string).toLowerCase() === MULTICALL3_ADDRESS.toLowerCase() ? "0x6080" : "0x";
      case "eth_getLogs":
        return LOGS;
      case "eth_call": {
        const call = p[0] as { to: Address; data: Hex };
        if (call.to.toLowerCase() === COMET.toLowerCase()) return answer(call.data);
        if (call.to.toLowerCase() !== MULTICALL3_ADDRESS.toLowerCase())
          throw new Error(`unexpected call to ${call.to}`);
        const { args } = decodeFunctionData({ abi: multicall3Abi, data: call.data });
        const calls = args[0] as ReadonlyArray<{ target: Address; callData: Hex }>;
        return encodeFunctionResult({
          abi: multicall3Abi,
          functionName: "aggregate3",
          result: calls.map((c) => ({ success: true, returnData: answer(c.callData) })),
        });
      }
      default:
        throw new Error(`unexpected ${method}`);
    }
  },
});

describe("compound-v3 indexer (ABI level)", () => {
  const chain = chainSchema.parse({ id: 1, name: "ethereum", rpc: ["http://127.0.0.1:1"] });
  const client = createChainClient(chain, { transport });
  const assets = new AssetRegistry(
    [
      { id: "USDC", tokens: { "1": USDC } },
      { id: "WETH", tokens: { "1": WETH } },
      { id: "WBTC", tokens: { "1": WBTC } },
    ].map((a) => assetSchema.parse(a)),
  );
  const config = compoundMarketConfigSchema.parse({
    protocol: "compound-v3",
    chain: 1,
    comet: COMET,
    fromBlock: 15331586,
  });
  const indexer = createCompoundV3Indexer({
    client,
    config,
    assets,
    batchBytes: 4096,
    multicallAddress: MULTICALL3_ADDRESS,
  });

  it("discovers borrowers from base withdrawals and transfers, not from suppliers", async () => {
    const { logs } = await getLogsAdaptive({
      client,
      ...indexer.logSources(),
      fromBlock: 15331586n,
      toBlock: 15331600n,
      maxRange: 1000,
    });
    const result = indexer.ingest(logs);
    expect(indexer.keys()).toEqual([BORROWER, TRANSFERRER]);
    expect([...result.touched]).toEqual([BORROWER, TRANSFERRER]);
  });

  it("reads factors (1e18), prices (1e8) and balances (asset scales) as the published ABI encodes them", async () => {
    const reading = await indexer.readMarkets(15331600n);
    expect(reading.markets).toEqual([
      {
        id: `compound-v3:1:${COMET.toLowerCase()}`,
        protocol: "compound-v3",
        base: "USDC",
        sellsAbsorbed: true,
        liquidationGasUsd: 0,
        collaterals: {
          WETH: { liquidateCollateralFactor: 0.9, liquidationFactor: 0.95 },
          WBTC: { liquidateCollateralFactor: 0.77, liquidationFactor: 0.95 },
        },
      },
    ]);
    expect(reading.prices.map((p) => [p.asset, p.kind === "usd" ? p.priceUsd : Number.NaN])).toEqual([
      ["USDC", 1],
      ["WETH", 3012.3456789],
      ["WBTC", 61234.5],
    ]);
    const positions = await indexer.readPositions([BORROWER, SUPPLIER], 15331600n);
    expect(positions.get(SUPPLIER)).toBeNull();
    expect(positions.get(BORROWER)).toEqual({
      market: `compound-v3:1:${COMET.toLowerCase()}`,
      account: BORROWER,
      collateral: { WETH: Number("3.500000000000000001"), WBTC: 0.12345678 },
      debt: { USDC: 12345.678901 },
    });
  });

  it("derives decimals from a Comet asset scale and refuses a scale that is not a power of ten", () => {
    expect(decimalsOfScale(10n ** 18n)).toBe(18);
    expect(decimalsOfScale(1n)).toBe(0);
    expect(() => decimalsOfScale(2n * 10n ** 6n)).toThrow(/not a power of 10/);
  });
});
