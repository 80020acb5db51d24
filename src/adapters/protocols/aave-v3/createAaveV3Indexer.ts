/** The Aave V3 (and forks) `ProtocolIndexer`: borrowers from pool events, state from pool reads. */
import type { Address, Log } from "viem";
import { aaveV3ATokenAbi } from "../../../../abis/aaveV3AToken.js";
import { aaveV3PoolAbi } from "../../../../abis/aaveV3Pool.js";
import type { AaveMarketConfig } from "../../../config/schema/markets.js";
import type { AssetId } from "../../../core/ids.js";
import type { PositionData } from "../../../core/snapshot/schema.js";
import type { ChainClient } from "../../chain/createChainClient.js";
import type { PriceSourceProbe } from "../../oracles/classifyPriceSource.js";
import { type PricedSource, priceSourceReadings } from "../../oracles/priceSourceReadings.js";
import { readPriceSources } from "../../oracles/readPriceSources.js";
import { aaveSubgraphBorrowers } from "../../subgraph/aaveSubgraphBorrowers.js";
import type { AssetRegistry } from "../AssetRegistry.js";
import { decodedEventsFrom, decodedEventsOf } from "../decodedEventsOf.js";
import type {
  BlockReading,
  IngestResult,
  MarketsReading,
  PriceQuote,
  ProtocolIndexer,
  UnpricedAsset,
} from "../ProtocolIndexer.js";
import { singleContractIndexer } from "../singleContractIndexer.js";
import { unreadableAssetId } from "../unreadableAssetId.js";
import { aaveMarketData } from "./aaveMarketData.js";
import { type AaveMarketState, readAaveMarket } from "./readAaveMarket.js";
import {
  decodeAavePositions,
  readAavePositions,
  readAavePositionWords,
  reserveTables,
  sameReserveTables,
} from "./readAavePositions.js";
import { type AaveLiquidationLogic, resolveLiquidationLogic } from "./resolveLiquidationLogic.js";

export interface AaveIndexerOptions {
  readonly client: ChainClient;
  readonly config: AaveMarketConfig;
  readonly assets: AssetRegistry;
  readonly batchBytes: number;
  readonly multicallAddress?: Address;
  /** Re-read reserve parameters and eModes every this many blocks (prices are read every block). */
  readonly paramsRefreshBlocks?: number;
}

const EVENTS = aaveV3PoolAbi.filter((item) => item.type === "event");
/** Events of the reserves' aTokens: a transfer changes two accounts' collateral (see the ABI). */
const A_TOKEN_EVENTS = aaveV3ATokenAbi.filter((item) => item.type === "event");

export function createAaveV3Indexer(options: AaveIndexerOptions): ProtocolIndexer {
  const { client, config } = options;
  const marketId = `aave-v3:${config.chain}:${config.pool.toLowerCase()}`;
  const { borrowers, shared } = singleContractIndexer({
    ...options,
    protocol: "aave-v3",
    label: config.name ?? `aave-v3@${config.chain}:${config.pool.slice(0, 8)}`,
    chainId: config.chain,
    fromBlock: config.fromBlock,
    address: config.pool,
    events: EVENTS,
    // Only a borrow adds a borrower (see `ingest`).
    discoveryEventNames: ["Borrow"],
    marketId,
  });
  let state: AaveMarketState | undefined;
  let stateBlock = -1n;
  let logic: AaveLiquidationLogic | undefined;
  let paramsDirty = true;
  /** The last price-source probes (sources and the feeds they wrap), by lowercase address. */
  let lastProbes: ReadonlyMap<string, PriceSourceProbe> = new Map();
  const refreshEvery = BigInt(options.paramsRefreshBlocks ?? 100);
  const assetOf = (token: Address): AssetId | undefined => options.assets.assetOf(config.chain, token);

  async function readMarkets(blockNumber: bigint, blockTimestamp?: bigint): Promise<MarketsReading> {
    const needParams =
      state === undefined ||
      paramsDirty ||
      blockNumber - stateBlock >= refreshEvery ||
      blockNumber < stateBlock;
    const previous = needParams ? undefined : state;
    const probeSources = (sources: readonly Address[], known?: ReadonlyMap<string, PriceSourceProbe>) =>
      readPriceSources({
        client,
        sources,
        blockNumber,
        batchBytes: options.batchBytes,
        multicallAddress: options.multicallAddress,
        known,
      });
    // Between parameter refreshes the price sources are known: probed beside the market read.
    const [read, earlyProbes] = await Promise.all([
      readAaveMarket({
        client,
        pool: config.pool,
        addressesProvider: config.addressesProvider,
        assetOf,
        discover: (tokens) => options.assets.discover(options, config.chain, tokens, blockNumber),
        blockNumber,
        blockTimestamp,
        batchBytes: options.batchBytes,
        ...(options.multicallAddress === undefined ? {} : { multicallAddress: options.multicallAddress }),
        ...(previous === undefined ? {} : { previous }),
      }),
      // With the feeds the adapters named last time (one round, not one per level of wrapping),
      // only their rounds read again; a parameter refresh probes everything.
      previous === undefined
        ? undefined
        : probeSources(
            [...previous.reserves.map((r) => r.source), ...[...lastProbes.values()].map((p) => p.address)],
            lastProbes,
          ),
    ]);
    // A reserve listed (or an oracle set) since the previous read made it a full read: its
    // sources are probed below.
    const listed =
      previous !== undefined &&
      (read.oracle !== previous.oracle ||
        read.reserves.length !== previous.reserves.length ||
        read.reserves.some((r, i) => r.underlying !== previous.reserves[i]?.underlying));
    state = read;
    if (needParams || listed) {
      stateBlock = blockNumber;
      paramsDirty = false;
    }
    const first = state.reserves[0];
    logic ??=
      first === undefined
        ? (config.liquidationLogic ?? "v3.0")
        : await resolveLiquidationLogic(
            client,
            config.pool,
            first.underlying,
            config.liquidationLogic,
            blockNumber,
          );
    const prices: PriceQuote[] = [];
    const decimals = new Map<AssetId, number>();
    const unknownTokens: Address[] = [];
    const unpriced: UnpricedAsset[] = [];
    const priced: PricedSource[] = [];
    for (const reserve of state.reserves) {
      if (reserve.asset === undefined) {
        unknownTokens.push(reserve.underlying);
        unpriced.push({
          market: marketId,
          asset: unreadableAssetId(reserve.underlying),
          reason: `token ${reserve.underlying} answers no symbol/decimals`,
        });
        continue;
      }
      decimals.set(reserve.asset, reserve.configuration.decimals);
      if (reserve.priceUsd === undefined) {
        unpriced.push({ market: marketId, asset: reserve.asset, reason: "the market's oracle answers 0" });
        continue;
      }
      prices.push({ asset: reserve.asset, kind: "usd", priceUsd: reserve.priceUsd, source: marketId });
      priced.push({
        asset: reserve.asset,
        token: reserve.underlying,
        source: reserve.source,
        priceUsd: reserve.priceUsd,
      });
    }
    const probes =
      earlyProbes !== undefined && !listed ? earlyProbes : await probeSources(priced.map((p) => p.source));
    lastProbes = probes;
    const sourced = priceSourceReadings(config.chain, priced, probes, (asset) =>
      options.assets.deviationOf(asset),
    );
    return {
      markets: [aaveMarketData(marketId, state, logic, config)],
      prices,
      decimals,
      unknownTokens,
      oracles: sourced.readings,
      marketOracles: new Map([
        [marketId, { kind: "per-asset", byAsset: Object.fromEntries(sourced.oracleOf) }],
      ]),
      unpriced,
      notes: sourced.notes,
    };
  }

  const positionsParameters = (at: AaveMarketState, keys: readonly string[], blockNumber: bigint) => ({
    client,
    pool: config.pool,
    marketId,
    state: at,
    // Checksummed where they entered (see singleContractIndexer): not hashed again per read.
    accounts: keys as readonly Address[],
    blockNumber,
  });

  async function readPositions(
    keys: readonly string[],
    blockNumber: bigint,
  ): Promise<Map<string, PositionData | null>> {
    if (state === undefined) throw new Error("readMarkets must run before readPositions");
    return readAavePositions(positionsParameters(state, keys, blockNumber));
  }

  /** The reserves' aTokens (lowercase) as of the last market read: their transfers are followed. */
  const aTokens = (): Set<string> => new Set((state?.reserves ?? []).map((r) => r.aToken.toLowerCase()));

  return {
    ...shared,
    // The pool and, once the reserves are read, their aTokens (the cold scan needs the pool's
    // borrows only: every position is read after it).
    logSources: () => ({
      address: [config.pool, ...(state?.reserves ?? []).map((r) => r.aToken)],
      events: [...EVENTS, ...A_TOKEN_EVENTS],
    }),
    ingest(logs: readonly Log[]): IngestResult {
      const touched = new Set<string>();
      for (const { eventName, args } of decodedEventsOf(logs, config.pool)) {
        const user = accountOf(eventName, args);
        if (user === undefined) continue;
        // Every borrower ever seen is tracked; only accounts with debt reach the snapshot.
        if (eventName === "Borrow") borrowers.add(user);
        if (borrowers.has(user)) touched.add(user);
      }
      const tokens = aTokens();
      for (const { eventName, args } of decodedEventsFrom(logs, tokens)) {
        if (eventName !== "BalanceTransfer") continue;
        for (const account of [args.from, args.to])
          if (typeof account === "string" && borrowers.has(account)) touched.add(account);
      }
      return { touched, marketsChanged: false };
    },
    readMarkets,
    readPositions,
    async readBlock(
      keys: readonly string[],
      blockNumber: bigint,
      blockTimestamp?: bigint,
    ): Promise<BlockReading> {
      const before = state;
      // The positions need the reserves' token tables only: read beside the markets with the
      // previous ones, decoded against this block's parameters, read again if the tables moved.
      // Settled at once: a failed early read must not go unhandled while the markets are read.
      const early =
        before === undefined || keys.length === 0
          ? undefined
          : readAavePositionWords(positionsParameters(before, keys, blockNumber)).then(
              (words) => ({ ok: true as const, words }),
              (error: unknown) => ({ ok: false as const, error }),
            );
      const reading = await readMarkets(blockNumber, blockTimestamp);
      const now = state!;
      const answer = await early;
      if (answer !== undefined && !answer.ok) throw answer.error;
      const positions =
        answer !== undefined && sameReserveTables(answer.words.tables, reserveTables(now))
          ? decodeAavePositions(positionsParameters(now, keys, blockNumber), answer.words)
          : await readPositions(keys, blockNumber);
      return { reading, positions };
    },
    ...(config.subgraph === undefined
      ? {}
      : {
          async discover() {
            const found = await aaveSubgraphBorrowers(config.subgraph!);
            const before = borrowers.size;
            for (const account of found.accounts) borrowers.add(account);
            return { added: borrowers.size - before, throughBlock: found.throughBlock };
          },
        }),
  };
}

/**
 * The account whose position an event changes, as the log decoder gives it: checksummed already
 * (`decodeEventLogs`, which every log the sync hands over went through), so it is not hashed again
 * (a cold scan would hash each borrower's address once per log it appears in).
 */
function accountOf(eventName: string, args: Record<string, unknown>): string | undefined {
  const pick = (key: string): string | undefined =>
    typeof args[key] === "string" ? (args[key] as string) : undefined;
  switch (eventName) {
    case "Supply":
    case "Borrow":
      return pick("onBehalfOf");
    case "Withdraw":
    case "Repay":
    case "LiquidationCall":
    case "ReserveUsedAsCollateralEnabled":
    case "ReserveUsedAsCollateralDisabled":
    case "UserEModeSet":
      return pick("user");
    default:
      return undefined;
  }
}
