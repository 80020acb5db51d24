/**
 * The one small interface every protocol folder implements. A sync loop drives it without knowing
 * the protocol: scan `logSources()` for logs, fold them in with `ingest`, read markets and the
 * touched positions at a block. Discovery state (known accounts, markets) is plain data so a
 * checkpoint can store it.
 */
import type { AbiEvent, Address, Log } from "viem";
import type { AccountId, AssetId, Protocol } from "../../core/ids.js";
import type { MarketData, PositionData } from "../../core/snapshot/schema.js";
import type { MorphoOracleReadingsParameters } from "../oracles/morphoOracleReadings.js";
import type { OracleReading } from "../oracles/OracleReading.js";

/** A price one protocol's oracle gives: in USD, or relative to another asset (Morpho). */
export type PriceQuote =
  | { readonly asset: AssetId; readonly kind: "usd"; readonly priceUsd: number; readonly source: string }
  | {
      readonly asset: AssetId;
      readonly kind: "relative";
      /** Units of `quoteAsset` per unit of `asset`. */
      readonly ratio: number;
      readonly quoteAsset: AssetId;
      readonly source: string;
    };

/** What an indexer reads for its markets at one block. */
export interface MarketsReading {
  readonly markets: MarketData[];
  readonly prices: PriceQuote[];
  /** Token decimals by asset, as the protocol reports them. */
  readonly decimals: ReadonlyMap<AssetId, number>;
  /** Tokens seen on chain that could not be read as assets (their positions are excluded whole). */
  readonly unknownTokens: readonly Address[];
  /** The markets' oracles as the chain answers them (cascade-model section 3). */
  readonly oracles?: readonly OracleReading[] | undefined;
  /** Per market id, the oracle each asset is judged by there. */
  readonly marketOracles?: ReadonlyMap<string, MarketOracles> | undefined;
  /** Assets a market names that cannot be priced or read: positions holding them are excluded whole. */
  readonly unpriced?: readonly UnpricedAsset[] | undefined;
  /** Compound: whether the comet sells what it absorbs (`buyCollateral` open), per market id. */
  readonly sellsAbsorbed?: ReadonlyMap<string, boolean> | undefined;
  /** Morpho markets' oracles, decomposed once every indexer's feeds are known. */
  readonly morphoOracles?: readonly MorphoOracleInput[] | undefined;
  /** What could not be read exactly, one line each (for the log). */
  readonly notes?: readonly string[] | undefined;
}

/** What `morphoOracleReadings` needs of one Morpho market besides the other protocols' feeds. */
export type MorphoOracleInput = Omit<MorphoOracleReadingsParameters, "feedAssets">;

/** The oracle ids a market judges its assets by. */
export type MarketOracles =
  | { readonly kind: "per-asset"; readonly byAsset: Readonly<Record<string, string>> }
  | { readonly kind: "morpho-blue"; readonly collateralOracle: string; readonly loanOracle: string };

export interface UnpricedAsset {
  readonly market: string;
  /** The asset id, or `token:<address>` for a token that could not be read. */
  readonly asset: string;
  readonly reason: string;
}

/** What a block's logs changed. */
export interface IngestResult {
  /** Position keys to re-read. */
  readonly touched: ReadonlySet<string>;
  /** True when market parameters may have changed (a new Morpho market, a config event). */
  readonly marketsChanged: boolean;
}

export interface ProtocolIndexer {
  readonly protocol: Protocol;
  /** Label for progress lines (`aave-v3.6`, `morpho-blue@31337`). */
  readonly label: string;
  readonly chainId: number;
  readonly fromBlock: bigint;
  /** Snapshot ids of the markets this indexer serves (known after the first `readMarkets`). */
  marketIds(): string[];
  /** Contracts and events to scan. */
  logSources(): { readonly address: Address[]; readonly events: readonly AbiEvent[] };
  /**
   * The events among `logSources()` that grow the discovery state (a borrower, a market). A cold
   * scan reads every known position afterwards, so it fetches only these; live blocks fetch all.
   * Absent: every event.
   */
  discoveryEvents?(): readonly AbiEvent[];
  /** Folds logs (block order) into the discovery state. */
  ingest(logs: readonly Log[]): IngestResult;
  /** Every known position key. */
  keys(): string[];
  /**
   * Reads markets, oracle prices and whatever `readPositions` needs, at `blockNumber`.
   * `blockTimestamp`: that block's timestamp when the caller holds its header (interest and grace
   * periods run on it); absent, an indexer that needs it reads the header.
   */
  readMarkets(blockNumber: bigint, blockTimestamp?: bigint): Promise<MarketsReading>;
  /**
   * Reads positions at `blockNumber` (after `readMarkets` at the same block); `null` = no debt.
   * May return more keys than asked: positions whose amounts moved without an event of their own
   * (a Morpho market's share price moves with every borrow and repay).
   */
  readPositions(keys: readonly string[], blockNumber: bigint): Promise<Map<string, PositionData | null>>;
  /**
   * `readMarkets` and then `readPositions` of `keys` at one block, in fewer round trips where the
   * protocol can read positions without this block's markets (Aave: beside them, with the
   * reserves of the previous read, read again when those changed). Absent: one after the other.
   */
  readBlock?(keys: readonly string[], blockNumber: bigint, blockTimestamp?: bigint): Promise<BlockReading>;
  /**
   * Optional faster discovery from an indexed source (subgraph, API). `throughBlock`: the source
   * covers every block up to it, so the log scan may start after it. Adds keys only; amounts
   * always come from chain reads.
   */
  discover?(): Promise<{ readonly added: number; readonly throughBlock?: bigint }>;
  exportState(): IndexerState;
  importState(state: IndexerState): void;
}

/** What `readBlock` answers. */
export interface BlockReading {
  readonly reading: MarketsReading;
  readonly positions: Map<string, PositionData | null>;
}

/** Discovery state as plain JSON data. */
export interface IndexerState {
  readonly keys: string[];
  readonly extra?: Record<string, unknown>;
}

export type { AccountId, AssetId };
