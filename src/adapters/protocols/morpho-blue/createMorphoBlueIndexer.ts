/**
 * The Morpho Blue `ProtocolIndexer`: markets from CreateMarket events, borrowers from Borrow events,
 * positions from `position` reads, debt from borrow shares through `toAssetsUp` on totals accrued
 * to the block (the IRM's `borrowRateView`, as MorphoBalancesLib does), prices from each market's oracle.
 */
import { type Address, type Hex, type Log, zeroAddress } from "viem";
import { erc20Abi } from "../../../../abis/erc20.js";
import { morphoBlueAbi, morphoIrmAbi, morphoOracleAbi } from "../../../../abis/morphoBlue.js";
import type { MorphoMarketConfig } from "../../../config/schema/markets.js";
import { type AssetId, asAssetId } from "../../../core/ids.js";
import type { MorphoMarketData, PositionData } from "../../../core/snapshot/schema.js";
import { blockTimestampOf } from "../../chain/blockTimestampOf.js";
import { callAddress } from "../../chain/callAddress.js";
import type { ChainClient } from "../../chain/createChainClient.js";
import { type BatchedCall, readContractsBatched } from "../../chain/readContractsBatched.js";
import { type MorphoOracleShape, readMorphoOracles } from "../../oracles/readMorphoOracle.js";
import { morphoApiBorrowers } from "../../subgraph/morphoApiBorrowers.js";
import type { AssetRegistry } from "../AssetRegistry.js";
import { batchOptionsAt } from "../batchOptionsAt.js";
import { decodedEventsOf } from "../decodedEventsOf.js";
import { mustSucceedFor } from "../mustSucceedFor.js";
import type {
  IndexerState,
  IngestResult,
  MarketsReading,
  MorphoOracleInput,
  PriceQuote,
  ProtocolIndexer,
  UnpricedAsset,
} from "../ProtocolIndexer.js";
import { toTokenUnits } from "../toTokenUnits.js";
import { unreadableAssetId } from "../unreadableAssetId.js";
import { accrueBorrowAssets, oraclePriceToRatio, toAssetsUp, WAD } from "./morphoMath.js";

export interface MorphoIndexerOptions {
  readonly client: ChainClient;
  readonly config: MorphoMarketConfig;
  readonly assets: AssetRegistry;
  readonly batchBytes: number;
  readonly multicallAddress?: Address;
}

interface MarketParams {
  readonly loanToken: Address;
  readonly collateralToken: Address;
  readonly oracle: Address;
  readonly irm: Address;
  readonly lltv: bigint;
}

interface MarketRead {
  readonly id: Hex;
  readonly params: MarketParams;
  readonly loan: AssetId;
  readonly collateral: AssetId;
  readonly loanDecimals: number;
  readonly collateralDecimals: number;
  readonly totalBorrowAssets: bigint;
  readonly totalBorrowShares: bigint;
}

interface CachedPosition {
  readonly id: Hex;
  readonly account: Address;
  readonly borrowShares: bigint;
  readonly collateral: bigint;
}

const EVENTS = morphoBlueAbi.filter((item) => item.type === "event");
const DISCOVERY_EVENTS = EVENTS.filter((e) => e.name === "CreateMarket" || e.name === "Borrow");
const KEY_SEPARATOR = "|";
/** Oracle getters (immutables) are read again this often; prices and feed rounds every block. */
const SHAPE_REFRESH_BLOCKS = 100n;
const mustSucceed = mustSucceedFor("morpho-blue");

export function createMorphoBlueIndexer(options: MorphoIndexerOptions): ProtocolIndexer {
  const { client, config } = options;
  const prefix = `morpho-blue:${config.chain}:`;
  const filter =
    config.marketIds === undefined ? undefined : new Set(config.marketIds.map((id) => id.toLowerCase()));
  const markets = new Map<Hex, MarketParams>();
  const borrowers = new Set<string>();
  let reads = new Map<Hex, MarketRead>();
  const decimalsCache = new Map<string, number>();
  const batch = (blockNumber: bigint) => batchOptionsAt(options, blockNumber);

  const keyOf = (id: Hex, account: string): string => `${id}${KEY_SEPARATOR}${account}`;
  const shareCache = new Map<string, CachedPosition>();
  const pricedAt = new Map<Hex, { assets: bigint; shares: bigint }>();
  /** The oracles' shapes of the last read, and the block they were last read whole at. */
  let lastShapes: ReadonlyMap<string, MorphoOracleShape> = new Map();
  let shapesBlock = -SHAPE_REFRESH_BLOCKS;
  const positionOf = (cached: CachedPosition, m: MarketRead): PositionData | null => {
    const debtAssets = toAssetsUp(cached.borrowShares, m.totalBorrowAssets, m.totalBorrowShares);
    if (debtAssets === 0n) return null;
    return {
      market: `${prefix}${cached.id}`,
      account: cached.account,
      collateral:
        cached.collateral > 0n
          ? { [m.collateral]: toTokenUnits(cached.collateral, m.collateralDecimals) }
          : {},
      debt: { [m.loan]: toTokenUnits(debtAssets, m.loanDecimals) },
    };
  };

  return {
    protocol: "morpho-blue",
    label: config.name ?? `morpho-blue@${config.chain}`,
    chainId: config.chain,
    fromBlock: BigInt(config.fromBlock),
    marketIds: () => [...reads.keys()].map((id) => `${prefix}${id}`),
    logSources: () => ({ address: [config.morpho], events: EVENTS }),
    // A market is created, a borrower appears: nothing else grows the discovery state (see `ingest`).
    discoveryEvents: () => DISCOVERY_EVENTS,
    keys: () => [...borrowers],
    ingest(logs: readonly Log[]): IngestResult {
      const touched = new Set<string>();
      let marketsChanged = false;
      for (const { eventName, args } of decodedEventsOf(logs, config.morpho)) {
        const id = (args.id as Hex | undefined)?.toLowerCase() as Hex | undefined;
        if (id === undefined || (filter !== undefined && !filter.has(id))) continue;
        if (eventName === "CreateMarket") {
          markets.set(id, args.marketParams as MarketParams);
          marketsChanged = true;
          continue;
        }
        const account = accountOf(eventName, args);
        if (account === undefined) continue;
        const key = keyOf(id, account);
        if (eventName === "Borrow") borrowers.add(key);
        if (borrowers.has(key)) touched.add(key);
      }
      return { touched, marketsChanged };
    },
    async readMarkets(blockNumber: bigint, blockTimestamp?: bigint): Promise<MarketsReading> {
      if (filter !== undefined) {
        // Configured markets created before `fromBlock` are read by id.
        const missing = [...filter].filter((id) => !markets.has(id as Hex)) as Hex[];
        if (missing.length > 0) {
          const results = await readContractsBatched({
            ...batch(blockNumber),
            calls: missing.map((id) => ({
              address: config.morpho,
              abi: morphoBlueAbi,
              functionName: "idToMarketParams",
              args: [id],
            })),
          });
          missing.forEach((id, i) => {
            const r = results[i];
            if (r?.status !== "success") return;
            const [loanToken, collateralToken, oracle, irm, lltv] = r.result as [
              Address,
              Address,
              Address,
              Address,
              bigint,
            ];
            if (loanToken !== zeroAddress) markets.set(id, { loanToken, collateralToken, oracle, irm, lltv });
          });
        }
      }
      // Every market the config names is indexed: tokens it does not list are read on chain.
      const live = [...markets].filter(([, p]) => p.lltv !== 0n && p.collateralToken !== zeroAddress);
      await options.assets.discover(
        options,
        config.chain,
        live.flatMap(([, p]) => [p.loanToken, p.collateralToken]),
        blockNumber,
      );
      const unknownTokens: Address[] = [];
      const unpriced: UnpricedAsset[] = [];
      const usable: Array<[Hex, MarketParams, AssetId, AssetId]> = [];
      for (const [id, params] of live) {
        const assetOf = (token: Address): AssetId => {
          const asset = options.assets.assetOf(config.chain, token);
          if (asset !== undefined) return asset;
          unknownTokens.push(token);
          const standIn = asAssetId(unreadableAssetId(token));
          unpriced.push({
            market: `${prefix}${id}`,
            asset: standIn,
            reason: `token ${token} answers no symbol/decimals`,
          });
          return standIn;
        };
        usable.push([id, params, assetOf(params.loanToken), assetOf(params.collateralToken)]);
      }
      const tokens = [...new Set(usable.flatMap(([, p]) => [p.loanToken, p.collateralToken]))].filter(
        (t) => !decimalsCache.has(t),
      );
      if (tokens.length > 0) {
        const results = await readContractsBatched({
          ...batch(blockNumber),
          calls: tokens.map((token) => ({ address: token, abi: erc20Abi, functionName: "decimals" })),
          failuresExpected: true,
        });
        tokens.forEach((token, i) => {
          const r = results[i];
          // A token without decimals is a stand-in whose positions are excluded: 18 only sizes them.
          decimalsCache.set(token, r?.status === "success" ? Number(r.result) : 18);
        });
      }
      const calls: BatchedCall[] = usable.flatMap(([id, params]) => [
        { address: config.morpho, abi: morphoBlueAbi, functionName: "market", args: [id] },
        { address: params.oracle, abi: morphoOracleAbi, functionName: "price" },
      ]);
      const [results, timestamp, shapes] = await Promise.all([
        readContractsBatched({ ...batch(blockNumber), calls }),
        blockTimestampOf(client, blockNumber, blockTimestamp),
        usable.length === 0
          ? Promise.resolve(new Map<string, MorphoOracleShape>())
          : readMorphoOracles({
              client,
              oracles: [...new Set(usable.map(([, p]) => p.oracle))],
              blockNumber,
              batchBytes: options.batchBytes,
              multicallAddress: options.multicallAddress,
              // Read whole now and then (and after a rewind); in between only prices and rounds.
              known:
                blockNumber - shapesBlock >= SHAPE_REFRESH_BLOCKS || blockNumber < shapesBlock
                  ? undefined
                  : lastShapes,
            }),
      ]);
      if (blockNumber - shapesBlock >= SHAPE_REFRESH_BLOCKS || blockNumber < shapesBlock)
        shapesBlock = blockNumber;
      lastShapes = shapes;
      const totals = usable.map(([, params], i) => {
        const [totalSupplyAssets, totalSupplyShares, totalBorrowAssets, totalBorrowShares, lastUpdate, fee] =
          mustSucceed(results[2 * i], "market") as readonly bigint[];
        return {
          params,
          market: {
            totalSupplyAssets: totalSupplyAssets!,
            totalSupplyShares: totalSupplyShares!,
            totalBorrowAssets: totalBorrowAssets!,
            totalBorrowShares: totalBorrowShares!,
            lastUpdate: lastUpdate!,
            fee: fee!,
          },
        };
      });
      // Interest since the market's last update, as the contract would accrue it at this block.
      const accrued = totals.filter(
        (t) =>
          t.params.irm !== zeroAddress && t.market.totalBorrowAssets > 0n && timestamp > t.market.lastUpdate,
      );
      const rates = await readContractsBatched({
        ...batch(blockNumber),
        calls: accrued.map((t) => ({
          address: t.params.irm,
          abi: morphoIrmAbi,
          functionName: "borrowRateView",
          args: [t.params, t.market],
        })),
      });
      const rateOf = new Map(accrued.map((t, i) => [t, mustSucceed(rates[i], "borrowRateView") as bigint]));
      const next = new Map<Hex, MarketRead>();
      const snapshotMarkets: MorphoMarketData[] = [];
      const prices: PriceQuote[] = [];
      const decimals = new Map<AssetId, number>();
      const morphoOracles: MorphoOracleInput[] = [];
      usable.forEach(([id, params, loan, collateral], i) => {
        const t = totals[i]!;
        const rate = rateOf.get(t);
        const totalBorrowAssets =
          rate === undefined
            ? t.market.totalBorrowAssets
            : accrueBorrowAssets(t.market.totalBorrowAssets, rate, timestamp - t.market.lastUpdate);
        const loanDecimals = decimalsCache.get(params.loanToken)!;
        const collateralDecimals = decimalsCache.get(params.collateralToken)!;
        next.set(id, {
          id,
          params,
          loan,
          collateral,
          loanDecimals,
          collateralDecimals,
          totalBorrowAssets,
          totalBorrowShares: t.market.totalBorrowShares,
        });
        snapshotMarkets.push({
          id: `${prefix}${id}`,
          protocol: "morpho-blue",
          collateral,
          loan,
          lltv: Number(params.lltv) / Number(WAD),
          liquidationGasUsd: 0,
        });
        const price = results[2 * i + 1];
        if (price?.status === "success")
          prices.push({
            asset: collateral,
            kind: "relative",
            ratio: oraclePriceToRatio(price.result as bigint, loanDecimals, collateralDecimals),
            quoteAsset: loan,
            source: `${prefix}${id}`,
          });
        decimals.set(loan, loanDecimals);
        decimals.set(collateral, collateralDecimals);
        const shape = shapes.get(params.oracle.toLowerCase());
        if (shape === undefined || shape.price === 0n)
          unpriced.push({
            market: `${prefix}${id}`,
            asset: collateral,
            reason: `oracle ${params.oracle} answers 0`,
          });
        else
          morphoOracles.push({
            chainId: config.chain,
            marketId: `${prefix}${id}`,
            shape,
            collateral,
            loan,
            collateralDecimals,
            loanDecimals,
          });
      });
      reads = next;
      return {
        markets: snapshotMarkets,
        prices,
        decimals,
        unknownTokens: [...new Set(unknownTokens)],
        unpriced,
        morphoOracles,
      };
    },
    async readPositions(
      keys: readonly string[],
      blockNumber: bigint,
    ): Promise<Map<string, PositionData | null>> {
      const wanted = keys.map((key) => {
        // Keys are made of accounts checksummed already (`accountOf`, the API's borrowers).
        const [id, account] = key.split(KEY_SEPARATOR) as [Hex, Address];
        return { key, id, account };
      });
      const present = wanted.filter((w) => reads.has(w.id));
      const results = await readContractsBatched({
        ...batch(blockNumber),
        calls: present.map((w) => ({
          address: config.morpho,
          abi: morphoBlueAbi,
          functionName: "position",
          args: [w.id, callAddress(w.account)],
        })),
      });
      present.forEach((w, i) => {
        const [, borrowShares, collateral] = mustSucceed(results[i], "position") as readonly bigint[];
        shareCache.set(w.key, {
          id: w.id,
          account: w.account,
          borrowShares: borrowShares!,
          collateral: collateral!,
        });
      });
      const out = new Map<string, PositionData | null>();
      for (const w of wanted) if (!reads.has(w.id)) out.set(w.key, null);
      // A borrow or repay by anyone moves the market's share price: every cached borrower of a
      // market whose totals changed gets its debt recomputed, not only the accounts asked for.
      const changed = new Set<Hex>();
      for (const [id, m] of reads) {
        const last = pricedAt.get(id);
        if (last === undefined || last.assets !== m.totalBorrowAssets || last.shares !== m.totalBorrowShares)
          changed.add(id);
        pricedAt.set(id, { assets: m.totalBorrowAssets, shares: m.totalBorrowShares });
      }
      const recompute = new Set(present.map((w) => w.key));
      for (const [key, cached] of shareCache) if (changed.has(cached.id)) recompute.add(key);
      for (const key of recompute) {
        const cached = shareCache.get(key);
        const m = cached === undefined ? undefined : reads.get(cached.id);
        if (cached === undefined || m === undefined) continue;
        out.set(key, positionOf(cached, m));
      }
      return out;
    },
    ...(config.api === undefined
      ? {}
      : {
          async discover() {
            const keys = await morphoApiBorrowers(config.api!, config.chain, config.marketIds);
            const before = borrowers.size;
            for (const key of keys) borrowers.add(key);
            return { added: borrowers.size - before };
          },
        }),
    exportState: (): IndexerState => ({
      keys: [...borrowers],
      extra: {
        markets: Object.fromEntries([...markets].map(([id, p]) => [id, { ...p, lltv: p.lltv.toString() }])),
      },
    }),
    importState(saved: IndexerState): void {
      // Discovery only: cached shares are chain reads, kept across a rollback (orphaned keys are re-read).
      borrowers.clear();
      markets.clear();
      for (const key of saved.keys) borrowers.add(key);
      const saved_ = (saved.extra?.markets ?? {}) as Record<
        string,
        Omit<MarketParams, "lltv"> & { lltv: string }
      >;
      for (const [id, p] of Object.entries(saved_)) markets.set(id as Hex, { ...p, lltv: BigInt(p.lltv) });
    },
  };
}

function accountOf(eventName: string, args: Record<string, unknown>): string | undefined {
  const key =
    eventName === "Liquidate"
      ? "borrower"
      : ["SupplyCollateral", "WithdrawCollateral", "Borrow", "Repay"].includes(eventName)
        ? "onBehalf"
        : undefined;
  const value = key === undefined ? undefined : args[key];
  // Checksummed already by the log decoder (`decodeEventLogs`): not hashed again.
  return typeof value === "string" ? value : undefined;
}
