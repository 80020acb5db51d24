/**
 * Compiles a validated snapshot into the struct-of-arrays `Book` the propagator runs on.
 * The book is immutable: a simulation copies the amounts it changes.
 */
import { type AccountId, asAssetId, asMarketId } from "../ids.js";
import { poolFromDepth } from "../liquidity/constantProduct.js";
import { followerOrder } from "../liquidity/followers.js";
import { morphoLiquidationIncentiveFactor } from "../rules/morphoBlue.js";
import type { AaveMarketData, MarketData } from "../snapshot/schema.js";
import type { Snapshot } from "../snapshot/snapshot.js";
import {
  type Book,
  type BookAssets,
  type BookMarkets,
  type BookPositions,
  LIQUIDITY_INFINITE,
  LIQUIDITY_POOL,
  PROTOCOL_AAVE,
  PROTOCOL_COMPOUND,
  PROTOCOL_MORPHO,
} from "./book.js";
import { buildLiquidationIndex } from "./buildLiquidationIndex.js";
import { sortByAccount } from "./sortByAccount.js";

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function compileAssets(snapshot: Snapshot): BookAssets {
  const sorted = [...snapshot.assets].sort((a, b) => byString(a.id, b.id));
  const count = sorted.length;
  const indexOf = new Map(sorted.map((a, i) => [a.id, i] as const));
  const priceUsd = new Float64Array(count);
  const liquidityKind = new Uint8Array(count);
  const poolAsset = new Float64Array(count).fill(Number.NaN);
  const poolUsd = new Float64Array(count).fill(Number.NaN);
  const feeRate = new Float64Array(count);
  const leader = new Int32Array(count).fill(-1);
  const beta = new Float64Array(count);
  for (const [i, asset] of sorted.entries()) {
    priceUsd[i] = asset.priceUsd;
    const liquidity = asset.liquidity;
    if (liquidity.kind === "infinite") {
      liquidityKind[i] = LIQUIDITY_INFINITE;
    } else {
      liquidityKind[i] = LIQUIDITY_POOL;
      feeRate[i] = liquidity.feeBps / 10_000;
      const pool =
        liquidity.kind === "pool"
          ? { x: liquidity.reserveAsset, y: liquidity.reserveUsd }
          : poolFromDepth(asset.priceUsd, liquidity.depthUsd, liquidity.depthPct);
      poolAsset[i] = pool.x;
      poolUsd[i] = pool.y;
    }
    if (asset.follows !== undefined) {
      leader[i] = indexOf.get(asset.follows.asset) ?? -1;
      beta[i] = asset.follows.beta;
    }
  }
  return {
    count,
    ids: sorted.map((a) => asAssetId(a.id)),
    indexOf,
    priceUsd,
    liquidityKind,
    poolAsset,
    poolUsd,
    feeRate,
    leader,
    beta,
    followerOrder: followerOrder(leader),
  };
}

function compileMarkets(sorted: readonly MarketData[], assets: BookAssets): BookMarkets {
  const count = sorted.length;
  const markets = {
    count,
    ids: sorted.map((m) => asMarketId(m.id)),
    protocol: new Uint8Array(count),
    aaveLogicV33: new Uint8Array(count),
    closeFactor: new Float64Array(count),
    closeFactorHfThreshold: new Float64Array(count),
    fullCloseBelowUsd: new Float64Array(count),
    minLeftoverUsd: new Float64Array(count),
    lltv: new Float64Array(count),
    liquidationIncentiveFactor: new Float64Array(count),
    collateralAsset: new Int32Array(count).fill(-1),
    loanAsset: new Int32Array(count).fill(-1),
  };
  for (const [i, m] of sorted.entries()) {
    if (m.protocol === "aave-v3") {
      markets.protocol[i] = PROTOCOL_AAVE;
      markets.aaveLogicV33[i] = m.liquidationLogic === "v3.3" ? 1 : 0;
      markets.closeFactor[i] = m.closeFactor;
      markets.closeFactorHfThreshold[i] = m.closeFactorHfThreshold;
      markets.fullCloseBelowUsd[i] = m.fullCloseBelowUsd;
      markets.minLeftoverUsd[i] = m.minLeftoverUsd;
    } else if (m.protocol === "morpho-blue") {
      markets.protocol[i] = PROTOCOL_MORPHO;
      markets.lltv[i] = m.lltv;
      markets.liquidationIncentiveFactor[i] = morphoLiquidationIncentiveFactor(m.lltv);
      markets.collateralAsset[i] = assets.indexOf.get(m.collateral) ?? -1;
      markets.loanAsset[i] = assets.indexOf.get(m.loan) ?? -1;
    } else {
      markets.protocol[i] = PROTOCOL_COMPOUND;
      markets.loanAsset[i] = assets.indexOf.get(m.base) ?? -1;
    }
  }
  return markets;
}

/** Per asset index: [threshold, bonus, protocolFee, liquidationFactor]; NaN where the market does not take it. */
type CollateralTable = Float64Array;
const FIELDS = 4;

function aaveTable(market: AaveMarketData, emode: number, assets: BookAssets): CollateralTable {
  const table = new Float64Array(assets.count * FIELDS).fill(Number.NaN);
  const category = emode === 0 ? undefined : market.emodes[String(emode)];
  const inCategory = new Set(category?.assets ?? []);
  for (const [id, reserve] of Object.entries(market.reserves)) {
    const a = assets.indexOf.get(id);
    if (a === undefined) continue;
    const useEmode = category !== undefined && inCategory.has(id);
    table[a * FIELDS] = useEmode ? category.liquidationThreshold : reserve.liquidationThreshold;
    table[a * FIELDS + 1] = useEmode ? category.liquidationBonus : reserve.liquidationBonus;
    table[a * FIELDS + 2] = reserve.protocolFee;
    table[a * FIELDS + 3] = 0;
  }
  return table;
}

function otherTable(market: MarketData, assets: BookAssets): CollateralTable {
  const table = new Float64Array(assets.count * FIELDS).fill(Number.NaN);
  if (market.protocol === "morpho-blue") {
    const a = assets.indexOf.get(market.collateral) ?? 0;
    table.set([market.lltv, 0, 0, 0], a * FIELDS);
  } else if (market.protocol === "compound-v3") {
    for (const [id, c] of Object.entries(market.collaterals)) {
      const a = assets.indexOf.get(id) ?? 0;
      table.set([c.liquidateCollateralFactor, 0, 0, c.liquidationFactor], a * FIELDS);
    }
  }
  return table;
}

/** Writes one side (collateral or debt) of a position into the CSR arrays, sorted by asset index. */
function writeEntries(
  amounts: Readonly<Record<string, number>>,
  assets: BookAssets,
  at: number,
  assetOut: Int32Array,
  amountOut: Float64Array,
): number {
  let n = 0;
  for (const id in amounts) {
    const a = assets.indexOf.get(id) ?? -1;
    const amount = amounts[id]!;
    // Insertion sort: positions hold a handful of assets.
    let k = at + n;
    while (k > at && assetOut[k - 1]! > a) {
      assetOut[k] = assetOut[k - 1]!;
      amountOut[k] = amountOut[k - 1]!;
      k--;
    }
    assetOut[k] = a;
    amountOut[k] = amount;
    n++;
  }
  return at + n;
}

/** Position indices sorted by market index, then account; linear when the input is already in that order. */
function reportOrder(list: Snapshot["positions"], marketOf: Int32Array): Int32Array {
  const count = list.length;
  let sorted = true;
  for (let i = 1; i < count && sorted; i++) {
    const dm = marketOf[i]! - marketOf[i - 1]!;
    sorted = dm > 0 || (dm === 0 && list[i - 1]!.account < list[i]!.account);
  }
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  if (sorted) return order;
  // Counting sort by market, then accounts within each market.
  let maxMarket = 0;
  for (let i = 0; i < count; i++) maxMarket = Math.max(maxMarket, marketOf[i]!);
  const start = new Int32Array(maxMarket + 2);
  for (let i = 0; i < count; i++) start[marketOf[i]! + 1]!++;
  for (let m = 1; m < start.length; m++) start[m] = start[m]! + start[m - 1]!;
  const fill = start.slice();
  for (let i = 0; i < count; i++) order[fill[marketOf[i]!]!++] = i;
  const accounts = list.map((p) => p.account);
  for (let m = 0; m + 1 < start.length; m++)
    sortByAccount(order.subarray(start[m]!, start[m + 1]!), accounts);
  return order;
}

function compilePositions(
  snapshot: Snapshot,
  assets: BookAssets,
  markets: readonly MarketData[],
): BookPositions {
  const marketIndex = new Map(markets.map((m, i) => [m.id, i] as const));
  const list = snapshot.positions;
  const count = list.length;
  // Snapshot order first (sequential reads of the position objects), report order second
  // (random reads, but of typed arrays).
  const rawCollStart = new Int32Array(count + 1);
  const rawDebtStart = new Int32Array(count + 1);
  for (let i = 0; i < count; i++) {
    const p = list[i]!;
    let nColl = 0;
    let nDebt = 0;
    for (const _ in p.collateral) nColl++;
    for (const _ in p.debt) nDebt++;
    rawCollStart[i + 1] = rawCollStart[i]! + nColl;
    rawDebtStart[i + 1] = rawDebtStart[i]! + nDebt;
  }
  const collTotal = rawCollStart[count]!;
  const debtTotal = rawDebtStart[count]!;
  const rawCollAsset = new Int32Array(collTotal);
  const rawCollAmount = new Float64Array(collTotal);
  const rawDebtAsset = new Int32Array(debtTotal);
  const rawDebtAmount = new Float64Array(debtTotal);
  const marketOf = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const p = list[i]!;
    marketOf[i] = marketIndex.get(p.market) ?? 0;
    writeEntries(p.collateral, assets, rawCollStart[i]!, rawCollAsset, rawCollAmount);
    writeEntries(p.debt, assets, rawDebtStart[i]!, rawDebtAsset, rawDebtAmount);
  }
  const out = {
    count,
    market: new Int32Array(count),
    protocol: new Uint8Array(count),
    account: new Array<AccountId>(count),
    emode: new Int32Array(count),
    collStart: new Int32Array(count + 1),
    collAsset: new Int32Array(collTotal),
    collAmount: new Float64Array(collTotal),
    collThreshold: new Float64Array(collTotal),
    collBonus: new Float64Array(collTotal),
    collProtocolFee: new Float64Array(collTotal),
    collLiquidationFactor: new Float64Array(collTotal),
    debtStart: new Int32Array(count + 1),
    debtAsset: new Int32Array(debtTotal),
    debtAmount: new Float64Array(debtTotal),
  };
  // One table per (market, eMode) pair, built on first use.
  const tables: Array<Map<number, CollateralTable>> = markets.map(() => new Map());
  const tableFor = (m: number, emode: number): CollateralTable => {
    const byEmode = tables[m]!;
    let table = byEmode.get(emode);
    if (table === undefined) {
      const market = markets[m]!;
      table = market.protocol === "aave-v3" ? aaveTable(market, emode, assets) : otherTable(market, assets);
      byEmode.set(emode, table);
    }
    return table;
  };
  const protocolOf = markets.map((m) =>
    m.protocol === "aave-v3"
      ? PROTOCOL_AAVE
      : m.protocol === "morpho-blue"
        ? PROTOCOL_MORPHO
        : PROTOCOL_COMPOUND,
  );
  // Report order: market id, then account. Already-sorted input sorts in linear time.
  const order = reportOrder(list, marketOf);
  let coll = 0;
  let debt = 0;
  for (let i = 0; i < count; i++) {
    const source = order[i]!;
    const p = list[source]!;
    const m = marketOf[source]!;
    const emode = protocolOf[m] === PROTOCOL_AAVE ? (p.emode ?? 0) : 0;
    out.market[i] = m;
    out.protocol[i] = protocolOf[m]!;
    out.account[i] = p.account as AccountId;
    out.emode[i] = emode;
    out.collStart[i] = coll;
    const table = tableFor(m, emode);
    for (let k = rawCollStart[source]!; k < rawCollStart[source + 1]!; k++) {
      const a = rawCollAsset[k]!;
      const base = a * FIELDS;
      out.collAsset[coll] = a;
      out.collAmount[coll] = rawCollAmount[k]!;
      out.collThreshold[coll] = table[base]!;
      out.collBonus[coll] = table[base + 1]!;
      out.collProtocolFee[coll] = table[base + 2]!;
      out.collLiquidationFactor[coll] = table[base + 3]!;
      coll++;
    }
    out.debtStart[i] = debt;
    for (let k = rawDebtStart[source]!; k < rawDebtStart[source + 1]!; k++) {
      out.debtAsset[debt] = rawDebtAsset[k]!;
      out.debtAmount[debt] = rawDebtAmount[k]!;
      debt++;
    }
  }
  out.collStart[count] = coll;
  out.debtStart[count] = debt;
  return out;
}

/** Compiles a snapshot validated by `parseSnapshot`. Cost is linear in positions plus one sort of the index. */
export function compileBook(snapshot: Snapshot): Book {
  const assets = compileAssets(snapshot);
  const sortedMarkets = [...snapshot.markets].sort((a, b) => byString(a.id, b.id));
  const markets = compileMarkets(sortedMarkets, assets);
  const positions = compilePositions(snapshot, assets, sortedMarkets);
  return {
    assets,
    markets,
    positions,
    index: buildLiquidationIndex(positions, assets.priceUsd),
  };
}
