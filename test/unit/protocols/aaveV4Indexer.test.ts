/**
 * Aave V4 at the ABI level. There is no V4 bytecode on npm, so a scripted Spoke answers from the
 * ABI written out of the published ISpoke/ISpokeBase interfaces: two reserves (WETH, USDC), a
 * liquidation config, and a borrower whose WETH collateral is still bound to an older dynamic
 * config key (80% collateral factor, 6% max bonus) than the reserve's latest (83%, 5%). What it
 * proves: the calls, decoding and scaling (BPS, WAD, 8-decimal prices), discovery from logs, and
 * the position's dynamic config; not the Spoke's own math.
 */
import {
  type Address,
  encodeAbiParameters,
  encodeEventTopics,
  getAddress,
  type Hex,
  numberToHex,
} from "viem";
import { describe, expect, it } from "vitest";
import { aaveV4OracleAbi, aaveV4SpokeAbi } from "../../../abis/aaveV4Spoke.js";
import { MULTICALL3_ADDRESS } from "../../../src/adapters/chain/detectMulticall3.js";
import { getLogsAdaptive } from "../../../src/adapters/chain/getLogsAdaptive.js";
import { AssetRegistry } from "../../../src/adapters/protocols/AssetRegistry.js";
import { createAaveV4Indexer } from "../../../src/adapters/protocols/aave-v4/createAaveV4Indexer.js";
import { buildSnapshot } from "../../../src/app/buildSnapshot.js";
import { assetSchema } from "../../../src/config/schema/assets.js";
import { marketConfigSchema } from "../../../src/config/schema/markets.js";
import { parseSnapshot } from "../../../src/core/snapshot/parseSnapshot.js";
import { REVERT, scriptedClient, scriptedRpc } from "../../helpers/scriptedRpc.js";

const a = (n: number): Address => getAddress(`0x${n.toString(16).padStart(40, "0")}`);
const SPOKE = a(0x5b0e);
const ORACLE = a(0x0ac1);
const HUB = a(0x4b0b);
const WETH = a(0x1001);
const USDC = a(0x1002);
const BORROWER = a(0xb0b);
const SUPPLIER = a(0x5a5);
const e18 = 10n ** 18n;

const RESERVES = [
  { underlying: WETH, decimals: 18, latestKey: 2, price: 3000_00000000n },
  { underlying: USDC, decimals: 6, latestKey: 0, price: 1_00000000n },
];
const CONFIGS: Record<
  string,
  { collateralFactor: number; maxLiquidationBonus: number; liquidationFee: number }
> = {
  "0:1": { collateralFactor: 8000, maxLiquidationBonus: 10600, liquidationFee: 1000 },
  "0:2": { collateralFactor: 8300, maxLiquidationBonus: 10500, liquidationFee: 1000 },
  "1:0": { collateralFactor: 7800, maxLiquidationBonus: 10400, liquidationFee: 1000 },
};
const USER: Record<string, { collateral: boolean; key: number; supplied: bigint; debt: bigint }> = {
  [`0:${BORROWER}`]: { collateral: true, key: 1, supplied: 4n * e18, debt: 0n },
  [`1:${BORROWER}`]: { collateral: false, key: 0, supplied: 0n, debt: 9_000n * 10n ** 6n },
  [`0:${SUPPLIER}`]: { collateral: true, key: 2, supplied: 10n * e18, debt: 0n },
};

function log(eventName: string, args: Record<string, unknown>, data: Hex, block: number) {
  return {
    address: SPOKE.toLowerCase(),
    topics: encodeEventTopics({ abi: aaveV4SpokeAbi, eventName, args } as never),
    data,
    blockNumber: numberToHex(block),
    blockHash: `0x${"ab".repeat(32)}`,
    transactionHash: `0x${"cd".repeat(32)}`,
    transactionIndex: "0x0",
    logIndex: numberToHex(block),
    removed: false,
  };
}
const uint = (v: bigint) => encodeAbiParameters([{ type: "uint256" }], [v]);
const LOGS = [
  log("Supply", { reserveId: 0n, caller: BORROWER, user: BORROWER }, uint(4n * e18), 10),
  log("Borrow", { reserveId: 1n, caller: BORROWER, user: BORROWER }, uint(9_000n * 10n ** 6n), 11),
  log("Supply", { reserveId: 0n, caller: SUPPLIER, user: SUPPLIER }, uint(10n * e18), 12),
  log("RefreshSingleUserDynamicConfig", { user: BORROWER }, uint(0n), 13),
];

const rpc = scriptedRpc(
  {
    [SPOKE]: {
      abi: aaveV4SpokeAbi,
      answer: (name: string, args: readonly unknown[]) => {
        const user = USER[`${args[0]}:${String(args[1])}`] ?? {
          collateral: false,
          key: 0,
          supplied: 0n,
          debt: 0n,
        };
        switch (name) {
          case "getReserveCount":
            return 2n;
          case "getLiquidationConfig":
            return {
              targetHealthFactor: 105n * 10n ** 16n,
              healthFactorForMaxBonus: 85n * 10n ** 16n,
              liquidationBonusFactor: 8000,
            };
          case "ORACLE":
            return ORACLE;
          case "getReserve": {
            const r = RESERVES[Number(args[0])]!;
            return {
              underlying: r.underlying,
              hub: HUB,
              assetId: Number(args[0]),
              decimals: r.decimals,
              dynamicConfigKey: r.latestKey,
              collateralRisk: 0,
              flags: 0,
            };
          }
          case "getDynamicReserveConfig":
            return CONFIGS[`${args[0]}:${args[1]}`] ?? REVERT;
          case "getUserReserveStatus":
            return [user.collateral, user.debt > 0n];
          case "getUserPosition":
            return {
              drawnShares: 0n,
              premiumShares: 0n,
              premiumOffsetRay: 0n,
              suppliedShares: 0n,
              dynamicConfigKey: user.key,
            };
          case "getUserSuppliedAssets":
            return user.supplied;
          case "getUserTotalDebt":
            return user.debt;
          default:
            return REVERT;
        }
      },
    },
    [ORACLE]: {
      abi: aaveV4OracleAbi,
      answer: (name: string, args: readonly unknown[]) =>
        name === "getReservesPrices"
          ? (args[0] as bigint[]).map((id) => RESERVES[Number(id)]!.price)
          : name === "getReserveSource"
            ? a(0xfeed0 + Number(args[0]))
            : REVERT,
    },
  },
  (method) => (method === "eth_getLogs" ? LOGS : undefined),
);

describe("aave-v4 indexer (ABI level)", () => {
  const configured = [
    { id: "WETH", tokens: { "1": WETH } },
    { id: "USDC", tokens: { "1": USDC } },
  ].map((x) => assetSchema.parse(x));
  const client = scriptedClient(rpc);
  const config = marketConfigSchema.parse({ protocol: "aave-v4", chain: 1, spoke: SPOKE });
  if (config.protocol !== "aave-v4") throw new Error("unreachable");
  const indexer = createAaveV4Indexer({
    client,
    config,
    assets: new AssetRegistry(configured),
    batchBytes: 4096,
    multicallAddress: MULTICALL3_ADDRESS,
  });
  const marketId = `aave-v4:1:${SPOKE.toLowerCase()}`;

  it("discovers borrowers from Borrow logs, and touches them on supply and dynamic-config refresh", async () => {
    const { logs } = await getLogsAdaptive({
      client,
      ...indexer.logSources(),
      fromBlock: 1n,
      toBlock: 20n,
      maxRange: 1000,
    });
    const result = indexer.ingest(logs);
    expect(indexer.keys()).toEqual([BORROWER]);
    expect([...result.touched]).toEqual([BORROWER]);
  });

  it("reads the Spoke's reserves, liquidation config and a position bound to an older dynamic config", async () => {
    const reading = await indexer.readMarkets(20n);
    expect(reading.markets).toEqual([
      {
        id: marketId,
        protocol: "aave-v4",
        targetHealthFactor: 1.05,
        healthFactorForMaxBonus: 0.85,
        liquidationBonusFactor: 0.8,
        dustUsd: 1000,
        liquidationGasUsd: 0,
        reserves: {
          WETH: { collateralFactor: 0.83, maxLiquidationBonus: 0.05, liquidationFee: 0.1 },
          USDC: { collateralFactor: 0.78, maxLiquidationBonus: 0.04, liquidationFee: 0.1 },
        },
      },
    ]);
    expect(reading.prices.map((p) => (p.kind === "usd" ? [p.asset, p.priceUsd] : []))).toEqual([
      ["WETH", 3000],
      ["USDC", 1],
    ]);
    const positions = await indexer.readPositions([BORROWER, SUPPLIER], 20n);
    expect(positions.get(SUPPLIER)).toBeNull();
    const position = positions.get(BORROWER);
    expect(position).toEqual({
      market: marketId,
      account: BORROWER,
      collateral: { WETH: 4 },
      debt: { USDC: 9000 },
      // Key 1: 80% and a 6% max bonus against the latest 83% and 5%; the fee is the same, left out.
      dynamicConfig: { WETH: { collateralFactor: 0.8, maxLiquidationBonus: 0.06 } },
    });

    const snapshot = buildSnapshot({
      assets: configured.map((c) => ({ ...c, priceUsd: 1 })),
      readings: [reading],
      pools: [],
      positions: [position!],
      blocks: new Map([[1, 20n]]),
      takenAt: new Date(0),
    });
    const parsed = parseSnapshot(snapshot);
    expect(parsed.markets[0]!.protocol).toBe("aave-v4");
    expect(parsed.positions[0]!.dynamicConfig).toEqual({
      WETH: { collateralFactor: 0.8, maxLiquidationBonus: 0.06 },
    });
  });
});
