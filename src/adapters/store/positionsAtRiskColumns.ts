/**
 * Positions at risk as columns, for what crosses Redis (a summary task's result, the stored
 * results): each market's id and protocol once instead of once per position, and plain arrays
 * of numbers, which JSON writes and reads faster than as many objects. At 1M positions a cycle
 * lists about 114k of them, so this is most of a cycle's result bytes.
 *
 * `positionsFromColumns(positionsToColumns(list))` equals `list`: the same fields, in the same
 * order, position for position. A list read from columns is written back as those columns, not
 * walked again: the simulate parent reads a summary task's columns and stores them in the results.
 */
import type { PositionAtRisk } from "../../core/alerts/monitorView.js";

export interface PositionsAtRiskColumns {
  readonly markets: ReadonlyArray<{ readonly market: string; readonly protocol: string }>;
  /** Per position: its index in `markets`. */
  readonly market: readonly number[];
  readonly account: readonly string[];
  readonly healthFactor: readonly number[];
  readonly collateralUsd: readonly number[];
  readonly debtUsd: readonly number[];
}

/** The columns each list was read from (both are never changed once made). */
const readFrom = new WeakMap<readonly PositionAtRisk[], PositionsAtRiskColumns>();

export function positionsToColumns(list: readonly PositionAtRisk[]): PositionsAtRiskColumns {
  const known = readFrom.get(list);
  if (known !== undefined) return known;
  const markets: Array<{ market: string; protocol: string }> = [];
  const marketIndex = new Map<string, Map<string, number>>();
  const n = list.length;
  const market = new Array<number>(n);
  const account = new Array<string>(n);
  const healthFactor = new Array<number>(n);
  const collateralUsd = new Array<number>(n);
  const debtUsd = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const p = list[i]!;
    let byProtocol = marketIndex.get(p.market);
    if (byProtocol === undefined) {
      byProtocol = new Map();
      marketIndex.set(p.market, byProtocol);
    }
    let m = byProtocol.get(p.protocol);
    if (m === undefined) {
      m = markets.length;
      byProtocol.set(p.protocol, m);
      markets.push({ market: p.market, protocol: p.protocol });
    }
    market[i] = m;
    account[i] = p.account;
    healthFactor[i] = p.healthFactor;
    collateralUsd[i] = p.collateralUsd;
    debtUsd[i] = p.debtUsd;
  }
  return { markets, market, account, healthFactor, collateralUsd, debtUsd };
}

export function positionsFromColumns(columns: PositionsAtRiskColumns): readonly PositionAtRisk[] {
  const { markets, market, account, healthFactor, collateralUsd, debtUsd } = columns;
  const list = new Array<PositionAtRisk>(market.length);
  for (let i = 0; i < market.length; i++) {
    const m = markets[market[i]!]!;
    list[i] = {
      market: m.market,
      protocol: m.protocol,
      account: account[i]!,
      healthFactor: healthFactor[i]!,
      collateralUsd: collateralUsd[i]!,
      debtUsd: debtUsd[i]!,
    };
  }
  readFrom.set(list, columns);
  return list;
}
