/**
 * `summarizeBook` and `positionsAtRisk` in one pass over the compiled book's arrays, for a
 * snapshot whose positions are in book order (the held book's): the same numbers, bit for bit.
 *
 * Sums run as the snapshot walk runs them: positions in snapshot order; within a position, each
 * side's values summed from 0 in the order its record lists them, and that sum added to the
 * totals; exposure rows in the order first met. The book keeps a position's entries by asset
 * index; a side with one or two non-zero entries gives the same floats in any order, so only a
 * side with three or more, or one that meets a new row, is summed in its record's order (read
 * from the position object).
 */
import type { BookSummary, LiquidationHoldRow } from "../../adapters/store/monitorResults.js";
import type { PositionAtRisk } from "../../core/alerts/monitorView.js";
import { type Book, PROTOCOL_BY_CODE } from "../../core/book/book.js";
import type { Snapshot } from "../../core/snapshot/snapshot.js";
import { ascendingOrder } from "./ascendingOrder.js";
import { liquidationHolds } from "./summarizeBook.js";

export interface CycleBookSummary {
  readonly book: BookSummary;
  readonly positionsAtRisk: PositionAtRisk[];
}

/**
 * The book summary and the positions whose health factor is below `maxHealthFactor` (lowest
 * first), equal to `summarizeBook(snapshot)` and `positionsAtRisk(snapshot, maxHealthFactor)`;
 * `book` is `compileBook` of `snapshot` (or the held book brought up to it), and
 * `snapshot.positions[i]` must be book position `i` (as `compileSnapshot` and the held book give).
 */
export function summarizeCompiledBook(
  snapshot: Snapshot,
  book: Book,
  maxHealthFactor: number,
): CycleBookSummary {
  const { assets, markets, positions, oracles } = book;
  const { collStart, collAsset, collAmount, collOracle, collThreshold } = positions;
  const { debtStart, debtAsset, debtAmount, debtOracle } = positions;
  const priceUsd = assets.priceUsd;
  const reportUsd = oracles.reportedUsd;
  const assetCount = assets.count;
  const list = snapshot.positions;

  /** Exposure rows (market, asset) in the order first met, and each one's sums. */
  const rowOf = new Int32Array(markets.count * assetCount).fill(-1);
  const rowMarket: number[] = [];
  const rowAsset: number[] = [];
  const rowCollateralUsd: number[] = [];
  const rowDebtUsd: number[] = [];
  const rowAt = (m: number, a: number): number => {
    const key = m * assetCount + a;
    let row = rowOf[key]!;
    if (row < 0) {
      row = rowMarket.length;
      rowOf[key] = row;
      rowMarket.push(m);
      rowAsset.push(a);
      rowCollateralUsd.push(0);
      rowDebtUsd.push(0);
    }
    return row;
  };
  const protocolCount = PROTOCOL_BY_CODE.length;
  const protocolPositions = new Float64Array(protocolCount);
  const protocolCollateralUsd = new Float64Array(protocolCount);
  const protocolDebtUsd = new Float64Array(protocolCount);
  const protocolOrder: number[] = [];
  const marketPositions = new Int32Array(markets.count);
  const marketOrder: number[] = [];
  let collateralUsd = 0;
  let debtUsd = 0;
  // Positions at risk as columns: their objects are made once, in health order.
  const riskPosition: number[] = [];
  const riskHealthFactor: number[] = [];
  const riskCollateralUsd: number[] = [];
  const riskDebtUsd: number[] = [];

  /** The entry of asset `a` among `e0 .. e1 - 1` of `entryAsset`. */
  const entryOf = (entryAsset: Int32Array, e0: number, e1: number, a: number): number => {
    for (let e = e0; e < e1; e++) if (entryAsset[e] === a) return e;
    return -1;
  };
  /** The entries of the side being summed, in the order they are added (one per asset at most). */
  const visit = new Int32Array(assetCount);
  /**
   * Puts the non-zero entries `e0 .. e1 - 1` of position `i`'s `side` (in market `m`) in
   * `visit`, in an order whose sums and new exposure rows are the walk's; returns how many. Two
   * terms added to 0 give the same float in either order, so two entries whose rows exist need
   * no order; three or more, or a row met for the first time, are visited in their record's key
   * order (the only case that reads the position object).
   */
  const visitOrder = (
    amount: Float64Array,
    entryAsset: Int32Array,
    e0: number,
    e1: number,
    i: number,
    m: number,
    side: "collateral" | "debt",
  ): number => {
    let n = 0;
    for (let e = e0; e < e1; e++) if (amount[e] !== 0) visit[n++] = e;
    if (n < 2) return n;
    const rows = m * assetCount;
    if (n === 2 && rowOf[rows + entryAsset[visit[0]!]!]! >= 0 && rowOf[rows + entryAsset[visit[1]!]!]! >= 0)
      return n;
    n = 0;
    const record = list[i]![side];
    for (const id in record)
      if (record[id] !== 0) visit[n++] = entryOf(entryAsset, e0, e1, assets.indexOf.get(id)!);
    return n;
  };

  for (let i = 0; i < positions.count; i++) {
    const m = positions.market[i]!;
    const protocol = positions.protocol[i]!;
    if (marketPositions[m] === 0) marketOrder.push(m);
    marketPositions[m] = marketPositions[m]! + 1;
    if (protocolPositions[protocol] === 0) protocolOrder.push(protocol);
    protocolPositions[protocol] = protocolPositions[protocol]! + 1;
    // Each side's sums start at 0 and go to the totals once, as the walk adds them.
    let sideUsd = 0;
    let weightedUsd = 0;
    let reportedCollateralUsd = 0;
    const collaterals = visitOrder(
      collAmount,
      collAsset,
      collStart[i]!,
      collStart[i + 1]!,
      i,
      m,
      "collateral",
    );
    for (let k = 0; k < collaterals; k++) {
      const e = visit[k]!;
      const amount = collAmount[e]!;
      const usd = amount * priceUsd[collAsset[e]!]!;
      rowCollateralUsd[rowAt(m, collAsset[e]!)]! += usd;
      sideUsd += usd;
      const reported = amount * reportUsd[collOracle[e]!]!;
      reportedCollateralUsd += reported;
      weightedUsd += reported * collThreshold[e]!;
    }
    protocolCollateralUsd[protocol]! += sideUsd;
    collateralUsd += sideUsd;
    sideUsd = 0;
    let reportedDebtUsd = 0;
    const debts = visitOrder(debtAmount, debtAsset, debtStart[i]!, debtStart[i + 1]!, i, m, "debt");
    for (let k = 0; k < debts; k++) {
      const e = visit[k]!;
      const amount = debtAmount[e]!;
      const usd = amount * priceUsd[debtAsset[e]!]!;
      rowDebtUsd[rowAt(m, debtAsset[e]!)]! += usd;
      sideUsd += usd;
      reportedDebtUsd += amount * reportUsd[debtOracle[e]!]!;
    }
    protocolDebtUsd[protocol]! += sideUsd;
    debtUsd += sideUsd;
    if (!(reportedDebtUsd > 0)) continue;
    const healthFactor = weightedUsd / reportedDebtUsd;
    if (healthFactor < maxHealthFactor) {
      riskPosition.push(i);
      riskHealthFactor.push(healthFactor);
      riskCollateralUsd.push(reportedCollateralUsd);
      riskDebtUsd.push(reportedDebtUsd);
    }
  }
  // Lowest first, ties in book order: the stable sort by health factor (never NaN: NaN is not below).
  const order = ascendingOrder(Float64Array.from(riskHealthFactor));
  const atRisk: PositionAtRisk[] = [];
  for (let k = 0; k < order.length; k++) {
    const r = order[k]!;
    const i = riskPosition[r]!;
    atRisk.push({
      market: markets.ids[positions.market[i]!]!,
      protocol: PROTOCOL_BY_CODE[positions.protocol[i]!]!,
      account: list[i]!.account,
      healthFactor: riskHealthFactor[r]!,
      collateralUsd: riskCollateralUsd[r]!,
      debtUsd: riskDebtUsd[r]!,
    });
  }

  const byProtocol: Record<string, { positions: number; collateralUsd: number; debtUsd: number }> = {};
  for (const p of protocolOrder)
    byProtocol[PROTOCOL_BY_CODE[p]!] = {
      positions: protocolPositions[p]!,
      collateralUsd: protocolCollateralUsd[p]!,
      debtUsd: protocolDebtUsd[p]!,
    };
  const exposures = rowMarket.map((m, row) => ({
    protocol: PROTOCOL_BY_CODE[markets.protocol[m]!]!,
    market: markets.ids[m]! as string,
    asset: assets.ids[rowAsset[row]!]! as string,
    collateralUsd: rowCollateralUsd[row]!,
    debtUsd: rowDebtUsd[row]!,
  }));
  const holds: LiquidationHoldRow[] = liquidationHolds(snapshot, (market, asset) => {
    const m = markets.ids.indexOf(market as never);
    const a = assets.indexOf.get(asset);
    const row = m < 0 || a === undefined ? -1 : rowOf[m * assetCount + a]!;
    return row < 0 ? undefined : exposures[row];
  });
  return {
    book: {
      positions: positions.count,
      collateralUsd,
      debtUsd,
      byProtocol,
      markets: marketOrder.map((m) => ({
        protocol: PROTOCOL_BY_CODE[markets.protocol[m]!]!,
        market: markets.ids[m]! as string,
        positions: marketPositions[m]!,
      })),
      exposures,
      liquidationHolds: holds,
    },
    positionsAtRisk: atRisk,
  };
}
