/**
 * Compiles a validated snapshot into the struct-of-arrays `Book` the propagator runs on.
 * The book is immutable: a simulation copies the amounts it changes.
 */
import { asMarketId } from "../ids.js";
import {
  aaveLiquidationHealthLimit,
  aaveReserveHolds,
  takenAtSecondsOf,
} from "../rules/aaveLiquidationFlags.js";
import { morphoLiquidationIncentiveFactor } from "../rules/morphoBlue.js";
import type { MarketData, PositionData } from "../snapshot/schema.js";
import type { Snapshot } from "../snapshot/snapshot.js";
import {
  type Book,
  type BookAssets,
  type BookMarkets,
  type BookOracles,
  type BookPositions,
  PROTOCOL_AAVE,
  PROTOCOL_AAVE_V4,
  PROTOCOL_COMPOUND,
  PROTOCOL_MORPHO,
} from "./book.js";
import {
  type AccountColumns,
  ADDRESS_BYTES,
  compareAccountsAt,
  compareAddresses,
  gatherAccounts,
} from "./bookAccounts.js";
import { buildLiquidationIndex } from "./buildLiquidationIndex.js";
import { compileAssets } from "./compileAssets.js";
import { compileOracles, marketOracleId } from "./compileOracles.js";
import { type RawPositions, rawPositionsOf } from "./rawPositions.js";
import { sortByAccount } from "./sortByAccount.js";

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const PROTOCOL_CODE: Readonly<Record<MarketData["protocol"], number>> = {
  "aave-v3": PROTOCOL_AAVE,
  "aave-v4": PROTOCOL_AAVE_V4,
  "morpho-blue": PROTOCOL_MORPHO,
  "compound-v3": PROTOCOL_COMPOUND,
};

/** Compiles markets already sorted by id; `takenAtSeconds` is the snapshot's time (Aave grace periods). */
export function compileMarkets(
  sorted: readonly MarketData[],
  assets: BookAssets,
  takenAtSeconds: number | undefined,
): BookMarkets {
  const count = sorted.length;
  const markets = {
    count,
    ids: sorted.map((m) => asMarketId(m.id)),
    protocol: new Uint8Array(count),
    liquidationGasUsd: new Float64Array(count),
    aaveLogicV33: new Uint8Array(count),
    closeFactor: new Float64Array(count),
    closeFactorHfThreshold: new Float64Array(count),
    fullCloseBelowUsd: new Float64Array(count),
    minLeftoverUsd: new Float64Array(count),
    targetHealthFactor: new Float64Array(count),
    healthFactorForMaxBonus: new Float64Array(count),
    liquidationBonusFactor: new Float64Array(count),
    dustUsd: new Float64Array(count),
    lltv: new Float64Array(count),
    liquidationIncentiveFactor: new Float64Array(count),
    collateralAsset: new Int32Array(count).fill(-1),
    loanAsset: new Int32Array(count).fill(-1),
    sellsAbsorbed: new Uint8Array(count),
    liquidationHealthLimit: new Float64Array(count).fill(1),
    heldAssets: new Array<Uint8Array | null>(count).fill(null),
    anyHeld: false,
  };
  for (const [i, m] of sorted.entries()) {
    markets.protocol[i] = PROTOCOL_CODE[m.protocol];
    markets.liquidationGasUsd[i] = m.liquidationGasUsd;
    if (m.protocol === "aave-v3") {
      markets.aaveLogicV33[i] = m.liquidationLogic === "v3.3" ? 1 : 0;
      markets.closeFactor[i] = m.closeFactor;
      markets.closeFactorHfThreshold[i] = m.closeFactorHfThreshold;
      markets.fullCloseBelowUsd[i] = m.fullCloseBelowUsd;
      markets.minLeftoverUsd[i] = m.minLeftoverUsd;
      markets.liquidationHealthLimit[i] = aaveLiquidationHealthLimit(m);
      const holds = aaveReserveHolds(m, takenAtSeconds);
      if (holds.size > 0) {
        const held = new Uint8Array(assets.count);
        for (const asset of holds.keys()) {
          const a = assets.indexOf.get(asset);
          if (a !== undefined) held[a] = 1;
        }
        markets.heldAssets[i] = held;
      }
      if (holds.size > 0 || markets.liquidationHealthLimit[i] !== 1) markets.anyHeld = true;
    } else if (m.protocol === "aave-v4") {
      markets.targetHealthFactor[i] = m.targetHealthFactor;
      markets.healthFactorForMaxBonus[i] = m.healthFactorForMaxBonus;
      markets.liquidationBonusFactor[i] = m.liquidationBonusFactor;
      markets.dustUsd[i] = m.dustUsd;
    } else if (m.protocol === "morpho-blue") {
      markets.lltv[i] = m.lltv;
      markets.liquidationIncentiveFactor[i] = morphoLiquidationIncentiveFactor(m.lltv);
      markets.collateralAsset[i] = assets.indexOf.get(m.collateral) ?? -1;
      markets.loanAsset[i] = assets.indexOf.get(m.loan) ?? -1;
    } else {
      markets.loanAsset[i] = assets.indexOf.get(m.base) ?? -1;
      markets.sellsAbsorbed[i] = m.sellsAbsorbed ? 1 : 0;
    }
  }
  return markets;
}

/**
 * Per asset index: [threshold, bonus, fee, liquidationFactor, collateral oracle, debt oracle];
 * NaN where the market does not take the asset.
 */
export type EntryTable = Float64Array;

/**
 * What of a market its positions' compiled entries and the position rules read (reserves,
 * eModes, collaterals, assets, lltv, oracles), as one text: two markets with the same text give
 * their positions the same entries. Market-level parameters (gas, close factors, Aave V4's
 * targets, `sellsAbsorbed`) live in `BookMarkets` only.
 */
export function positionTermsOf(market: MarketData): string {
  switch (market.protocol) {
    case "aave-v3":
      return JSON.stringify([market.protocol, market.reserves, market.emodes]);
    case "aave-v4":
      return JSON.stringify([market.protocol, market.reserves]);
    case "morpho-blue":
      return JSON.stringify([
        market.protocol,
        market.collateral,
        market.loan,
        market.lltv,
        market.collateralOracle,
        market.loanOracle,
      ]);
    case "compound-v3":
      return JSON.stringify([market.protocol, market.base, market.baseOracle, market.collaterals]);
  }
}
const FIELDS = 6;

export function entryTable(
  market: MarketData,
  emode: number,
  assets: BookAssets,
  oracles: BookOracles,
): EntryTable {
  const table = new Float64Array(assets.count * FIELDS).fill(Number.NaN);
  const write = (id: string, threshold: number, bonus: number, fee: number, liquidationFactor: number) => {
    const a = assets.indexOf.get(id);
    if (a === undefined) return;
    table.set(
      [
        threshold,
        bonus,
        fee,
        liquidationFactor,
        oracles.indexOf.get(marketOracleId(market, id, "collateral"))!,
        oracles.indexOf.get(marketOracleId(market, id, "debt"))!,
      ],
      a * FIELDS,
    );
  };
  switch (market.protocol) {
    case "aave-v3": {
      const category = emode === 0 ? undefined : market.emodes[String(emode)];
      const inCategory = new Set(category?.assets ?? []);
      for (const [id, reserve] of Object.entries(market.reserves)) {
        const useEmode = category !== undefined && inCategory.has(id);
        write(
          id,
          useEmode ? category.liquidationThreshold : reserve.liquidationThreshold,
          useEmode ? category.liquidationBonus : reserve.liquidationBonus,
          reserve.protocolFee,
          0,
        );
      }
      break;
    }
    case "aave-v4":
      for (const [id, reserve] of Object.entries(market.reserves)) {
        write(id, reserve.collateralFactor, reserve.maxLiquidationBonus, reserve.liquidationFee, 0);
      }
      break;
    case "morpho-blue":
      write(market.collateral, market.lltv, 0, 0, 0);
      if (market.loan !== market.collateral) write(market.loan, 0, 0, 0, 0);
      break;
    case "compound-v3":
      for (const [id, c] of Object.entries(market.collaterals)) {
        write(id, c.liquidateCollateralFactor, 0, 0, c.liquidationFactor);
      }
      if (!Object.hasOwn(market.collaterals, market.base)) write(market.base, 0, 0, 0, 0);
      break;
  }
  return table;
}

/** A `BookPositions` being written. */
export type PositionsDraft = { -readonly [K in keyof BookPositions]: BookPositions[K] };

/**
 * Fills the terms of entries whose asset is written (collateral `c0 .. c1 - 1`, debt `d0 .. d1 - 1`)
 * from the market's entry table for the position's eMode, then its own Aave V4 configuration.
 */
export function fillEntryTerms(
  out: PositionsDraft,
  c0: number,
  c1: number,
  d0: number,
  d1: number,
  table: EntryTable,
  dynamicConfig: PositionData["dynamicConfig"],
  assets: BookAssets,
): void {
  for (let k = c0; k < c1; k++) {
    const a = out.collAsset[k]!;
    const base = a * FIELDS;
    out.collThreshold[k] = table[base]!;
    out.collBonus[k] = table[base + 1]!;
    out.collProtocolFee[k] = table[base + 2]!;
    out.collLiquidationFactor[k] = table[base + 3]!;
    out.collOracle[k] = table[base + 4]!;
    if (dynamicConfig !== undefined) {
      // Aave V4: the position's own configuration of this asset, field by field.
      const own = dynamicConfig[assets.ids[a]!];
      if (own !== undefined) {
        if (own.collateralFactor !== undefined) out.collThreshold[k] = own.collateralFactor;
        if (own.maxLiquidationBonus !== undefined) out.collBonus[k] = own.maxLiquidationBonus;
        if (own.liquidationFee !== undefined) out.collProtocolFee[k] = own.liquidationFee;
      }
    }
  }
  for (let k = d0; k < d1; k++) out.debtOracle[k] = table[out.debtAsset[k]! * FIELDS + 5]!;
}

/**
 * Position indices sorted by market index, then account; linear when the input is already in
 * that order (`identity` then says so).
 */
function reportOrder(
  accounts: AccountColumns,
  marketOf: Int32Array,
): { order: Int32Array; identity: boolean } {
  const count = marketOf.length;
  const { address, textStart } = accounts;
  let sorted = true;
  for (let i = 1; i < count && sorted; i++) {
    const dm = marketOf[i]! - marketOf[i - 1]!;
    if (dm !== 0) sorted = dm > 0;
    else if (textStart[i + 1] === textStart[i - 1])
      sorted = compareAddresses(address, (i - 1) * ADDRESS_BYTES, address, i * ADDRESS_BYTES) < 0;
    else sorted = compareAccountsAt(accounts, i - 1, accounts, i) < 0;
  }
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  if (sorted) return { order, identity: true };
  // Counting sort by market, then accounts within each market.
  let maxMarket = 0;
  for (let i = 0; i < count; i++) maxMarket = Math.max(maxMarket, marketOf[i]!);
  const start = new Int32Array(maxMarket + 2);
  for (let i = 0; i < count; i++) start[marketOf[i]! + 1]!++;
  for (let m = 1; m < start.length; m++) start[m] = start[m]! + start[m - 1]!;
  const fill = start.slice();
  for (let i = 0; i < count; i++) order[fill[marketOf[i]!]!++] = i;
  for (let m = 0; m + 1 < start.length; m++)
    sortByAccount(order.subarray(start[m]!, start[m + 1]!), accounts);
  return { order, identity: false };
}

/** Puts raw positions (snapshot order) in report order and fills each entry's terms from its market. */
function compilePositions(
  raw: RawPositions,
  assets: BookAssets,
  oracles: BookOracles,
  markets: readonly MarketData[],
): { positions: BookPositions; order: Int32Array } {
  const count = raw.count;
  const collTotal = raw.collStart[count]!;
  const debtTotal = raw.debtStart[count]!;
  const out: PositionsDraft = {
    count,
    market: new Int32Array(count),
    protocol: new Uint8Array(count),
    accounts: raw.accounts,
    emode: new Int32Array(count),
    collStart: new Int32Array(count + 1),
    collAsset: new Int32Array(collTotal),
    collOracle: new Int32Array(collTotal),
    collAmount: new Float64Array(collTotal),
    collThreshold: new Float64Array(collTotal),
    collBonus: new Float64Array(collTotal),
    collProtocolFee: new Float64Array(collTotal),
    collLiquidationFactor: new Float64Array(collTotal),
    debtStart: new Int32Array(count + 1),
    debtAsset: new Int32Array(debtTotal),
    debtOracle: new Int32Array(debtTotal),
    debtAmount: new Float64Array(debtTotal),
  };
  // One table per (market, eMode) pair, built on first use.
  const tables: Array<Map<number, EntryTable>> = markets.map(() => new Map());
  const tableFor = (m: number, emode: number): EntryTable => {
    const byEmode = tables[m]!;
    let table = byEmode.get(emode);
    if (table === undefined) {
      table = entryTable(markets[m]!, emode, assets, oracles);
      byEmode.set(emode, table);
    }
    return table;
  };
  const protocolOf = markets.map((m) => PROTOCOL_CODE[m.protocol]);
  // Report order: market id, then account. Already-sorted input sorts in linear time.
  const { order, identity } = reportOrder(raw.accounts, raw.market);
  out.accounts = gatherAccounts(raw.accounts, order, identity);
  let coll = 0;
  let debt = 0;
  for (let i = 0; i < count; i++) {
    const source = order[i]!;
    const m = raw.market[source]!;
    const emode = protocolOf[m] === PROTOCOL_AAVE ? raw.emode[source]! : 0;
    out.market[i] = m;
    out.protocol[i] = protocolOf[m]!;
    out.emode[i] = emode;
    out.collStart[i] = coll;
    const table = tableFor(m, emode);
    for (let k = raw.collStart[source]!; k < raw.collStart[source + 1]!; k++) {
      out.collAsset[coll] = raw.collAsset[k]!;
      out.collAmount[coll] = raw.collAmount[k]!;
      coll++;
    }
    out.debtStart[i] = debt;
    for (let k = raw.debtStart[source]!; k < raw.debtStart[source + 1]!; k++) {
      out.debtAsset[debt] = raw.debtAsset[k]!;
      out.debtAmount[debt] = raw.debtAmount[k]!;
      debt++;
    }
    fillEntryTerms(
      out,
      out.collStart[i]!,
      coll,
      out.debtStart[i]!,
      debt,
      table,
      raw.dynamicConfigOf(source),
      assets,
    );
  }
  out.collStart[count] = coll;
  out.debtStart[count] = debt;
  return { positions: out, order };
}

/** Markets sorted by id, the book's market order. */
export function sortMarkets(markets: readonly MarketData[]): MarketData[] {
  return [...markets].sort((a, b) => byString(a.id, b.id));
}

/** The protocol code of a market. */
export function protocolCode(market: MarketData): number {
  return PROTOCOL_CODE[market.protocol];
}

/** Where a book's positions come from: given the book's assets and market indices, their raw rows. */
export type RawPositionSource = (
  assets: BookAssets,
  marketIndex: ReadonlyMap<string, number>,
) => RawPositions;

/**
 * Compiles a snapshot header (its `positions` are not read) with positions from `source`, and
 * says where each book position came from: book position `i` is raw position `order[i]`.
 */
export function compileBookOfPositions(
  header: Snapshot,
  source: RawPositionSource,
): { book: Book; order: Int32Array } {
  const assets = compileAssets(header);
  const oracles = compileOracles(header, assets);
  const sortedMarkets = sortMarkets(header.markets);
  const markets = compileMarkets(sortedMarkets, assets, takenAtSecondsOf(header.source.takenAt));
  const raw = source(assets, new Map(sortedMarkets.map((m, i) => [m.id, i] as const)));
  const { positions, order } = compilePositions(raw, assets, oracles, sortedMarkets);
  return {
    book: {
      assets,
      oracles,
      markets,
      positions,
      index: buildLiquidationIndex(positions, oracles.reportedUsd, oracles.count),
    },
    order,
  };
}

/**
 * Compiles a snapshot validated by `parseSnapshot`, and says where each book position came from:
 * book position `i` is `snapshot.positions[order[i]]`.
 */
export function compileBookWithOrder(snapshot: Snapshot): { book: Book; order: Int32Array } {
  return compileBookOfPositions(snapshot, (assets, marketIndex) =>
    rawPositionsOf(snapshot.positions, assets, marketIndex),
  );
}

/** Compiles a snapshot validated by `parseSnapshot`. Cost is linear in positions plus one sort of the index. */
export function compileBook(snapshot: Snapshot): Book {
  return compileBookWithOrder(snapshot).book;
}
