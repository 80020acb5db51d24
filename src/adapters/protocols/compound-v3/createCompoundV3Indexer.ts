/**
 * The Compound V3 (Comet) `ProtocolIndexer`: collateral assets and factors from `getAssetInfo`,
 * borrowers from base withdrawals and transfers (a borrow is a withdrawal or transfer beyond the
 * supplied balance) and absorptions, balances from `borrowBalanceOf`/`userCollateral`, prices from `getPrice`.
 */
import { type Address, getAddress, type Log } from "viem";
import { compoundV3CometAbi } from "../../../../abis/compoundV3Comet.js";
import type { CompoundMarketConfig } from "../../../config/schema/markets.js";
import { FatalError } from "../../../core/errors.js";
import { type AssetId, asAssetId } from "../../../core/ids.js";
import type { CompoundMarketData, PositionData } from "../../../core/snapshot/schema.js";
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

export interface CompoundIndexerOptions {
  readonly client: ChainClient;
  readonly config: CompoundMarketConfig;
  readonly assets: AssetRegistry;
  readonly batchBytes: number;
  readonly multicallAddress?: Address;
}

interface CometCollateral {
  readonly token: Address;
  readonly asset: AssetId;
  readonly decimals: number;
  readonly priceFeed: Address;
  readonly liquidateCollateralFactor: number;
  readonly liquidationFactor: number;
}

interface CometState {
  readonly base: AssetId;
  readonly baseDecimals: number;
  readonly collaterals: readonly CometCollateral[];
}

const EVENTS = compoundV3CometAbi.filter((item) => item.type === "event");
const FACTOR_SCALE = 1e18;
const PRICE_SCALE = 1e8;
const mustSucceed = mustSucceedFor("compound-v3");

/** Decimals from a Comet asset scale (10^decimals). */
export function decimalsOfScale(scale: bigint): number {
  const digits = scale.toString().length - 1;
  if (10n ** BigInt(digits) !== scale)
    throw new FatalError(`compound-v3: asset scale ${scale} is not a power of 10`);
  return digits;
}

export function createCompoundV3Indexer(options: CompoundIndexerOptions): ProtocolIndexer {
  const { config } = options;
  const marketId = `compound-v3:${config.chain}:${config.comet.toLowerCase()}`;
  const { borrowers, batch, shared } = singleContractIndexer({
    ...options,
    protocol: "compound-v3",
    label: config.name ?? `compound-v3@${config.chain}:${config.comet.slice(0, 8)}`,
    chainId: config.chain,
    fromBlock: config.fromBlock,
    address: config.comet,
    events: EVENTS,
    // The events that may add a borrower (see `ingest`).
    discoveryEventNames: ["Withdraw", "AbsorbDebt", "Transfer"],
    marketId,
  });
  let state: CometState | undefined;
  const comet = { address: config.comet, abi: compoundV3CometAbi } as const;

  return {
    ...shared,
    ingest(logs: readonly Log[]): IngestResult {
      const touched = new Set<string>();
      for (const { eventName, args } of decodedEventsOf(logs, config.comet)) {
        for (const account of accountsOf(eventName, args)) {
          // A base withdrawal or transfer beyond the supplied balance is a borrow.
          const mayBorrow =
            eventName === "Withdraw" ||
            eventName === "AbsorbDebt" ||
            (eventName === "Transfer" && account === getAddress(String(args.from)));
          if (mayBorrow) borrowers.add(account);
          if (borrowers.has(account)) touched.add(account);
        }
      }
      return { touched, marketsChanged: false };
    },
    async readMarkets(blockNumber: bigint): Promise<MarketsReading> {
      const head = await readContractsBatched({
        ...batch(blockNumber),
        calls: [
          { ...comet, functionName: "baseToken" },
          { ...comet, functionName: "baseTokenPriceFeed" },
          { ...comet, functionName: "decimals" },
          { ...comet, functionName: "numAssets" },
        ],
      });
      const [baseToken, baseFeed, baseDecimals, numAssets] = head.map((r, i) =>
        mustSucceed(r, ["baseToken", "baseTokenPriceFeed", "decimals", "numAssets"][i]!),
      ) as [Address, Address, number, number];
      const infos = await readContractsBatched({
        ...batch(blockNumber),
        calls: Array.from(
          { length: numAssets },
          (_, i) => ({ ...comet, functionName: "getAssetInfo", args: [i] }) as BatchedCall,
        ),
      });
      const decoded = infos.map(
        (r) =>
          mustSucceed(r, "getAssetInfo") as {
            asset: Address;
            priceFeed: Address;
            scale: bigint;
            liquidateCollateralFactor: bigint;
            liquidationFactor: bigint;
          },
      );
      // Every collateral is indexed: tokens the config does not list are read on chain.
      await options.assets.discover(
        options,
        config.chain,
        [baseToken, ...decoded.map((d) => d.asset)],
        blockNumber,
      );
      const unknownTokens: Address[] = [];
      const unpriced: UnpricedAsset[] = [];
      const assetOrStandIn = (token: Address): AssetId => {
        const asset = options.assets.assetOf(config.chain, token);
        if (asset !== undefined) return asset;
        unknownTokens.push(token);
        const standIn = asAssetId(unreadableAssetId(token));
        unpriced.push({
          market: marketId,
          asset: standIn,
          reason: `token ${token} answers no symbol/decimals`,
        });
        return standIn;
      };
      const base = assetOrStandIn(baseToken);
      const collaterals: CometCollateral[] = decoded.map((info) => ({
        token: info.asset,
        asset: assetOrStandIn(info.asset),
        decimals: decimalsOfScale(info.scale),
        priceFeed: info.priceFeed,
        liquidateCollateralFactor: Number(info.liquidateCollateralFactor) / FACTOR_SCALE,
        liquidationFactor: Number(info.liquidationFactor) / FACTOR_SCALE,
      }));
      const priceResults = await readContractsBatched({
        ...batch(blockNumber),
        calls: [
          ...[baseFeed, ...collaterals.map((c) => c.priceFeed)].map(
            (feed) => ({ ...comet, functionName: "getPrice", args: [feed] }) as BatchedCall,
          ),
          { ...comet, functionName: "getReserves" },
          { ...comet, functionName: "targetReserves" },
        ],
      });
      const answers = [baseFeed, ...collaterals.map((c) => c.priceFeed)].map(
        (_, i) => Number(mustSucceed(priceResults[i], "getPrice") as bigint) / PRICE_SCALE,
      );
      const reserves = mustSucceed(priceResults[answers.length], "getReserves") as bigint;
      const targetReserves = mustSucceed(priceResults[answers.length + 1], "targetReserves") as bigint;
      const baseAnswer = answers[0]!;
      // Comet prices are in the unit of its base feed: USD on cUSDCv3, ETH on cWETHv3 (a constant
      // 1 ETH per ETH). Collaterals are read relative to the base, which is priced in USD elsewhere.
      const baseOracle = oracleIdOf(config.chain, baseFeed);
      const oracles: OracleReading[] = [
        { kind: "feed", id: baseOracle, asset: base, answerUsd: baseAnswer, unitMayBeAsset: true },
      ];
      const byAsset: Record<string, string> = {};
      const prices: PriceQuote[] =
        baseAnswer === 1 ? [] : [{ asset: base, kind: "usd", priceUsd: baseAnswer, source: marketId }];
      collaterals.forEach((c, i) => {
        const answer = answers[i + 1]!;
        if (!(answer > 0)) {
          unpriced.push({ market: marketId, asset: c.asset, reason: `getPrice(${c.priceFeed}) answers 0` });
          return;
        }
        const id = oracleIdOf(config.chain, c.priceFeed);
        oracles.push({ kind: "ratio", id, ratio: answer / baseAnswer, quote: baseOracle, anchor: c.asset });
        byAsset[c.asset] = id;
        prices.push({
          asset: c.asset,
          kind: "relative",
          ratio: answer / baseAnswer,
          quoteAsset: base,
          source: marketId,
        });
      });
      byAsset[base] = baseOracle;
      state = { base, baseDecimals: Number(baseDecimals), collaterals };
      const market: CompoundMarketData = {
        id: marketId,
        protocol: "compound-v3",
        base,
        sellsAbsorbed: true,
        liquidationGasUsd: 0,
        collaterals: Object.fromEntries(
          collaterals
            .filter((c) => c.liquidateCollateralFactor > 0)
            .map((c) => [
              c.asset,
              {
                liquidateCollateralFactor: c.liquidateCollateralFactor,
                liquidationFactor: c.liquidationFactor,
              },
            ]),
        ),
      };
      const decimals = new Map<AssetId, number>([
        [base, Number(baseDecimals)],
        ...collaterals.map((c) => [c.asset, c.decimals] as [AssetId, number]),
      ]);
      return {
        markets: [market],
        prices,
        decimals,
        unknownTokens,
        oracles,
        marketOracles: new Map([[marketId, { kind: "per-asset", byAsset }]]),
        unpriced,
        // buyCollateral is open only while reserves are below target: above it, absorbed collateral stays.
        sellsAbsorbed: new Map([[marketId, reserves < targetReserves]]),
      };
    },
    async readPositions(
      keys: readonly string[],
      blockNumber: bigint,
    ): Promise<Map<string, PositionData | null>> {
      if (state === undefined) throw new Error("readMarkets must run before readPositions");
      const s = state;
      const accounts = keys.map((k) => getAddress(k));
      const perAccount = 1 + s.collaterals.length;
      const results = await readContractsBatched({
        ...batch(blockNumber),
        calls: accounts.flatMap((account) => [
          { ...comet, functionName: "borrowBalanceOf", args: [account] } as BatchedCall,
          ...s.collaterals.map(
            (c) => ({ ...comet, functionName: "userCollateral", args: [account, c.token] }) as BatchedCall,
          ),
        ]),
      });
      const out = new Map<string, PositionData | null>();
      accounts.forEach((account, a) => {
        const borrow = mustSucceed(results[a * perAccount], "borrowBalanceOf") as bigint;
        if (borrow === 0n) {
          out.set(account, null);
          return;
        }
        const collateral: Record<string, number> = {};
        s.collaterals.forEach((c, j) => {
          const [balance] = mustSucceed(
            results[a * perAccount + 1 + j],
            "userCollateral",
          ) as readonly bigint[];
          if (balance! > 0n && c.liquidateCollateralFactor > 0)
            collateral[c.asset] = (collateral[c.asset] ?? 0) + toTokenUnits(balance!, c.decimals);
        });
        out.set(account, {
          market: marketId,
          account,
          collateral,
          debt: { [s.base]: toTokenUnits(borrow, s.baseDecimals) },
        });
      });
      return out;
    },
  };
}

function accountsOf(eventName: string, args: Record<string, unknown>): string[] {
  const keys: Record<string, string[]> = {
    Supply: ["dst"],
    Withdraw: ["src"],
    SupplyCollateral: ["dst"],
    WithdrawCollateral: ["src"],
    Transfer: ["from", "to"],
    TransferCollateral: ["from", "to"],
    AbsorbDebt: ["borrower"],
    AbsorbCollateral: ["borrower"],
  };
  return (keys[eventName] ?? [])
    .map((k) => args[k])
    .filter((v): v is string => typeof v === "string" && BigInt(v) !== 0n)
    .map((v) => getAddress(v));
}
