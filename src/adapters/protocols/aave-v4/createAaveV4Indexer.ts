/**
 * The Aave V4 `ProtocolIndexer` for one Spoke: borrowers from `Borrow` logs, accounts touched by
 * supply, withdraw, repay, liquidation, collateral and dynamic-config refresh logs; reserves,
 * their latest dynamic config and the Spoke's liquidation config from its views; positions from
 * `getUserReserveStatus`, `getUserSuppliedAssets`, `getUserTotalDebt` and the position's own
 * dynamic config key (`getUserPosition`), whose config becomes the position's `dynamicConfig`
 * where it differs from the reserve's latest.
 */
import { type Address, getAddress, type Log } from "viem";
import { aaveV4OracleAbi, aaveV4SpokeAbi } from "../../../../abis/aaveV4Spoke.js";
import type { AaveV4MarketConfig } from "../../../config/schema/markets.js";
import { type AssetId, asAssetId } from "../../../core/ids.js";
import type { AaveV4MarketData, PositionData } from "../../../core/snapshot/schema.js";
import type { ChainClient } from "../../chain/createChainClient.js";
import { type BatchedCall, readContractsBatched } from "../../chain/readContractsBatched.js";
import { type OracleReading, oracleIdOf } from "../../oracles/OracleReading.js";
import type { AssetRegistry } from "../AssetRegistry.js";
import { decodedEventsOf } from "../decodedEventsOf.js";
import { mustSucceedFor } from "../mustSucceedFor.js";
import type {
  IngestResult,
  MarketsReading,
  PriceQuote,
  ProtocolIndexer,
  UnpricedAsset,
} from "../ProtocolIndexer.js";
import { singleContractIndexer } from "../singleContractIndexer.js";
import { toTokenUnits } from "../toTokenUnits.js";
import { unreadableAssetId } from "../unreadableAssetId.js";
import {
  type AaveV4DynamicConfig,
  decodeDynamicConfig,
  decodeLiquidationConfig,
  dynamicConfigDifference,
} from "./decodeAaveV4Config.js";

export interface AaveV4IndexerOptions {
  readonly client: ChainClient;
  readonly config: AaveV4MarketConfig;
  readonly assets: AssetRegistry;
  readonly batchBytes: number;
  readonly multicallAddress?: Address;
}

interface SpokeReserve {
  readonly id: number;
  readonly underlying: Address;
  readonly asset: AssetId;
  readonly decimals: number;
  readonly latestKey: number;
  readonly latest: AaveV4DynamicConfig;
}

const EVENTS = aaveV4SpokeAbi.filter((item) => item.type === "event");
const CONFIG_EVENTS = new Set([
  "UpdateLiquidationConfig",
  "AddDynamicReserveConfig",
  "UpdateDynamicReserveConfig",
  "AddReserve",
]);
/** The oracle's fixed decimals (the Spoke refuses any other). */
const PRICE_SCALE = 1e8;
const mustSucceed = mustSucceedFor("aave-v4");

export function createAaveV4Indexer(options: AaveV4IndexerOptions): ProtocolIndexer {
  const { config } = options;
  const marketId = `aave-v4:${config.chain}:${config.spoke.toLowerCase()}`;
  const spoke = { address: config.spoke, abi: aaveV4SpokeAbi } as const;
  const { borrowers, batch, shared } = singleContractIndexer({
    ...options,
    protocol: "aave-v4",
    label: config.name ?? `aave-v4@${config.chain}:${config.spoke.slice(0, 8)}`,
    chainId: config.chain,
    fromBlock: config.fromBlock,
    address: config.spoke,
    events: EVENTS,
    // Only a borrow adds a borrower (see `ingest`); config events only flag a market re-read.
    discoveryEventNames: ["Borrow"],
    marketId,
  });
  let reserves: SpokeReserve[] = [];
  /** Dynamic configs by `reserveId:key` (a key's config can be updated: re-read with the markets). */
  let configs = new Map<string, AaveV4DynamicConfig>();

  const readConfigs = async (wanted: ReadonlyArray<readonly [number, number]>, blockNumber: bigint) => {
    const missing = wanted.filter(([r, k]) => !configs.has(`${r}:${k}`));
    if (missing.length === 0) return;
    const results = await readContractsBatched({
      ...batch(blockNumber),
      calls: missing.map(
        ([r, k]) =>
          ({ ...spoke, functionName: "getDynamicReserveConfig", args: [BigInt(r), k] }) as BatchedCall,
      ),
    });
    missing.forEach(([r, k], i) => {
      const raw = mustSucceed(results[i], `getDynamicReserveConfig(${r}, ${k})`) as Parameters<
        typeof decodeDynamicConfig
      >[0];
      configs.set(`${r}:${k}`, decodeDynamicConfig(raw));
    });
  };

  return {
    ...shared,
    ingest(logs: readonly Log[]): IngestResult {
      const touched = new Set<string>();
      let marketsChanged = false;
      for (const { eventName, args } of decodedEventsOf(logs, config.spoke)) {
        if (CONFIG_EVENTS.has(eventName)) {
          marketsChanged = true;
          continue;
        }
        const user = typeof args.user === "string" ? getAddress(args.user) : undefined;
        if (user === undefined) continue;
        if (eventName === "Borrow") borrowers.add(user);
        if (borrowers.has(user)) touched.add(user);
      }
      return { touched, marketsChanged };
    },
    async readMarkets(blockNumber: bigint): Promise<MarketsReading> {
      const head = await readContractsBatched({
        ...batch(blockNumber),
        calls: [
          { ...spoke, functionName: "getReserveCount" },
          { ...spoke, functionName: "getLiquidationConfig" },
          { ...spoke, functionName: "ORACLE" },
        ],
      });
      const count = Number(mustSucceed(head[0], "getReserveCount") as bigint);
      const liquidation = decodeLiquidationConfig(
        mustSucceed(head[1], "getLiquidationConfig") as Parameters<typeof decodeLiquidationConfig>[0],
      );
      const oracle = mustSucceed(head[2], "ORACLE") as Address;
      const ids = Array.from({ length: count }, (_, i) => i);
      const [reserveResults, priceResults] = await Promise.all([
        readContractsBatched({
          ...batch(blockNumber),
          calls: ids.map(
            (id) => ({ ...spoke, functionName: "getReserve", args: [BigInt(id)] }) as BatchedCall,
          ),
        }),
        readContractsBatched({
          ...batch(blockNumber),
          calls: [
            {
              address: oracle,
              abi: aaveV4OracleAbi,
              functionName: "getReservesPrices",
              args: [ids.map(BigInt)],
            },
            ...ids.map(
              (id) =>
                ({
                  address: oracle,
                  abi: aaveV4OracleAbi,
                  functionName: "getReserveSource",
                  args: [BigInt(id)],
                }) as BatchedCall,
            ),
          ],
        }),
      ]);
      const raw = ids.map(
        (id) =>
          mustSucceed(reserveResults[id], `getReserve(${id})`) as {
            underlying: Address;
            decimals: number;
            dynamicConfigKey: number;
          },
      );
      await options.assets.discover(
        options,
        config.chain,
        raw.map((r) => r.underlying),
        blockNumber,
      );
      configs = new Map();
      await readConfigs(
        ids.map((id) => [id, raw[id]!.dynamicConfigKey] as const),
        blockNumber,
      );
      const prices = mustSucceed(priceResults[0], "getReservesPrices") as readonly bigint[];
      const unpriced: UnpricedAsset[] = [];
      const oracles: OracleReading[] = [];
      const byAsset: Record<string, string> = {};
      const quotes: PriceQuote[] = [];
      const decimals = new Map<AssetId, number>();
      const market: AaveV4MarketData = {
        id: marketId,
        protocol: "aave-v4",
        ...liquidation,
        dustUsd: 1000,
        liquidationGasUsd: 0,
        reserves: {},
      };
      const seen = new Set<string>();
      const next: SpokeReserve[] = [];
      for (const id of ids) {
        const r = raw[id]!;
        const asset =
          options.assets.assetOf(config.chain, r.underlying) ?? asAssetId(unreadableAssetId(r.underlying));
        const latest = configs.get(`${id}:${r.dynamicConfigKey}`)!;
        next.push({
          id,
          underlying: r.underlying,
          asset,
          decimals: Number(r.decimals),
          latestKey: r.dynamicConfigKey,
          latest,
        });
        decimals.set(asset, Number(r.decimals));
        const priceUsd = Number(prices[id] ?? 0n) / PRICE_SCALE;
        if (!(priceUsd > 0) || seen.has(asset)) {
          unpriced.push({
            market: marketId,
            asset,
            reason: seen.has(asset)
              ? `a second reserve (${id}) of the same asset is not modelled`
              : "the Spoke's oracle answers 0",
          });
          continue;
        }
        seen.add(asset);
        market.reserves[asset] = { ...latest };
        quotes.push({ asset, kind: "usd", priceUsd, source: marketId });
        const source = priceResults[id + 1];
        if (source?.status === "success") {
          const oracleId = oracleIdOf(config.chain, source.result as Address);
          oracles.push({
            kind: "feed",
            id: oracleId,
            address: source.result as Address,
            asset,
            answerUsd: priceUsd,
          });
          byAsset[asset] = oracleId;
        }
      }
      reserves = next;
      return {
        markets: [market],
        prices: quotes,
        decimals,
        unknownTokens: [],
        oracles,
        marketOracles: new Map([[marketId, { kind: "per-asset", byAsset }]]),
        unpriced,
      };
    },
    async readPositions(
      keys: readonly string[],
      blockNumber: bigint,
    ): Promise<Map<string, PositionData | null>> {
      const accounts = keys.map((k) => getAddress(k));
      const per = 4;
      const results = await readContractsBatched({
        ...batch(blockNumber),
        calls: accounts.flatMap((account) =>
          reserves.flatMap((r) => [
            { ...spoke, functionName: "getUserReserveStatus", args: [BigInt(r.id), account] } as BatchedCall,
            { ...spoke, functionName: "getUserPosition", args: [BigInt(r.id), account] } as BatchedCall,
            { ...spoke, functionName: "getUserSuppliedAssets", args: [BigInt(r.id), account] } as BatchedCall,
            { ...spoke, functionName: "getUserTotalDebt", args: [BigInt(r.id), account] } as BatchedCall,
          ]),
        ),
      });
      const at = (a: number, r: number, j: number) => results[(a * reserves.length + r) * per + j];
      // Keys the positions are bound to, beyond each reserve's latest: read their configs once.
      const keysWanted: Array<readonly [number, number]> = [];
      for (let a = 0; a < accounts.length; a++)
        reserves.forEach((r, ri) => {
          const key = (mustSucceed(at(a, ri, 1), "getUserPosition") as { dynamicConfigKey: number })
            .dynamicConfigKey;
          if (key !== r.latestKey) keysWanted.push([r.id, key]);
        });
      await readConfigs(keysWanted, blockNumber);
      const out = new Map<string, PositionData | null>();
      accounts.forEach((account, a) => {
        const collateral: Record<string, number> = {};
        const debt: Record<string, number> = {};
        const dynamicConfig: Record<string, Partial<AaveV4DynamicConfig>> = {};
        reserves.forEach((r, ri) => {
          const [usingAsCollateral] = mustSucceed(at(a, ri, 0), "getUserReserveStatus") as readonly [
            boolean,
            boolean,
          ];
          const key = (mustSucceed(at(a, ri, 1), "getUserPosition") as { dynamicConfigKey: number })
            .dynamicConfigKey;
          const supplied = mustSucceed(at(a, ri, 2), "getUserSuppliedAssets") as bigint;
          const owed = mustSucceed(at(a, ri, 3), "getUserTotalDebt") as bigint;
          if (owed > 0n) debt[r.asset] = (debt[r.asset] ?? 0) + toTokenUnits(owed, r.decimals);
          if (usingAsCollateral && supplied > 0n) {
            collateral[r.asset] = (collateral[r.asset] ?? 0) + toTokenUnits(supplied, r.decimals);
            const own = configs.get(`${r.id}:${key}`);
            const difference = own === undefined ? undefined : dynamicConfigDifference(own, r.latest);
            if (difference !== undefined) dynamicConfig[r.asset] = difference;
          }
        });
        if (Object.keys(debt).length === 0) {
          out.set(account, null);
          return;
        }
        out.set(account, {
          market: marketId,
          account,
          collateral,
          debt,
          ...(Object.keys(dynamicConfig).length === 0 ? {} : { dynamicConfig }),
        });
      });
      return out;
    },
  };
}
