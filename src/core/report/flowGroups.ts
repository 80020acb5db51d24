/**
 * The grouping of a cascade's liquidations into flows (round, protocol, seized collateral asset,
 * repaid debt asset), fed one liquidation at a time: from a report's records
 * (`src/adapters/store/cascadeFlows.ts`) or inside the run itself (`runCascade`, no records).
 * Either way the liquidations come in report order, so the sums are the same floats.
 */

export interface CascadeFlow {
  readonly round: number;
  readonly protocol: string;
  /** Collateral asset seized (and sold). */
  readonly collateral: string;
  /** Debt asset repaid. */
  readonly debt: string;
  /** Liquidations with a share in this group (one that seizes two assets counts in both groups). */
  readonly liquidations: number;
  /** The liquidations' seized USD apportioned to `collateral` by token value at snapshot prices. */
  readonly seizedUsd: number;
  /** The liquidations' repaid USD apportioned to `debt` by token value at snapshot prices. */
  readonly repaidUsd: number;
  readonly badDebtUsd: number;
  /** Liquidations among these whose trigger came from another protocol's sales. */
  readonly crossProtocol: number;
}

/**
 * Liquidations grouped as they come. Per liquidation: `collateral` for each seized asset and
 * `debt` for each repaid asset (asset indices into `assetIds`, token amounts), then `liquidation`.
 */
export interface FlowGroups {
  collateral(asset: number, amount: number): void;
  debt(asset: number, amount: number): void;
  /** Closes the liquidation whose assets were just given (a protocol index into `protocolNames`). */
  liquidation(
    round: number,
    protocol: number,
    seizedUsd: number,
    repaidUsd: number,
    badDebtUsd: number,
    crossProtocol: boolean,
  ): void;
  /** The groups, sorted by round, protocol, collateral, debt (names in `localeCompare` order). */
  flows(assetIds: readonly string[], protocolNames: readonly string[]): CascadeFlow[];
}

interface Group {
  readonly round: number;
  readonly protocol: number;
  readonly collateral: number;
  readonly debt: number;
  liquidations: number;
  seizedUsd: number;
  repaidUsd: number;
  badDebtUsd: number;
  crossProtocol: number;
}

/** One side's assets of the liquidation being given: indices and amounts, grown as needed. */
interface Side {
  asset: number[];
  amount: number[];
  share: number[];
  count: number;
}

const side = (): Side => ({ asset: [], amount: [], share: [], count: 0 });

/**
 * Each asset's rank in the order a record `{[assetId]: amount}` lists its keys (integer-like ids
 * first, ascending, then the others in `ids` order): a run that gives a liquidation's assets in
 * index order is ranked into the order its record would have.
 */
export function recordKeyRank(ids: readonly string[]): Int32Array {
  const probe: Record<string, number> = {};
  ids.forEach((id, a) => {
    probe[id] = a;
  });
  const rank = new Int32Array(ids.length);
  Object.keys(probe).forEach((id, k) => {
    rank[probe[id]!] = k;
  });
  return rank;
}

/**
 * Shares of one side by value at `priceUsd` (snapshot prices), over its amounts `> 0`: each
 * `amount × price / Σ amount × price` (the sum from 0, in the side's order), or equal shares when
 * that sum is not positive. Leaves the positive entries first in `s` and returns their count.
 */
function valueShares(s: Side, priceUsd: ArrayLike<number>, rank: Int32Array | undefined): number {
  let n = 0;
  for (let k = 0; k < s.count; k++) {
    const amount = s.amount[k]!;
    if (!(amount > 0)) continue;
    const asset = s.asset[k]!;
    // Insertion by rank: a side holds a handful of assets.
    let at = n;
    if (rank !== undefined) {
      while (at > 0 && rank[s.asset[at - 1]!]! > rank[asset]!) {
        s.asset[at] = s.asset[at - 1]!;
        s.amount[at] = s.amount[at - 1]!;
        at--;
      }
    }
    s.asset[at] = asset;
    s.amount[at] = amount;
    n++;
  }
  let total = 0;
  for (let k = 0; k < n; k++) {
    s.share[k] = s.amount[k]! * (priceUsd[s.asset[k]!] ?? 0);
    total += s.share[k]!;
  }
  for (let k = 0; k < n; k++) s.share[k] = total > 0 ? s.share[k]! / total : 1 / n;
  return n;
}

/**
 * Groups to fill. `priceUsd[a]`: asset `a`'s snapshot price (read at each `liquidation`, so a
 * caller may append assets as it meets them); `rank`: reorders each side's assets by it (see
 * `recordKeyRank`), when they are not given in their record's order already.
 */
export function createFlowGroups(priceUsd: ArrayLike<number>, rank?: Int32Array): FlowGroups {
  // Nested by round, protocol, collateral and debt (numbers: no key string per liquidation).
  const byRound = new Map<number, Map<number, Map<number, Map<number, Group>>>>();
  const met: Group[] = [];
  const seized = side();
  const repaid = side();
  const at = <V>(map: Map<number, V>, key: number, make: () => V): V => {
    let value = map.get(key);
    if (value === undefined) {
      value = make();
      map.set(key, value);
    }
    return value;
  };
  const push = (s: Side, asset: number, amount: number) => {
    s.asset[s.count] = asset;
    s.amount[s.count] = amount;
    s.count++;
  };
  return {
    collateral: (asset, amount) => push(seized, asset, amount),
    debt: (asset, amount) => push(repaid, asset, amount),
    liquidation(round, protocol, seizedUsd, repaidUsd, badDebtUsd, crossProtocol) {
      const nSeized = valueShares(seized, priceUsd, rank);
      const nRepaid = valueShares(repaid, priceUsd, rank);
      seized.count = 0;
      repaid.count = 0;
      if (nSeized === 0 || nRepaid === 0) return;
      const byCollateral = at(
        at(byRound, round, () => new Map()),
        protocol,
        () => new Map(),
      );
      for (let c = 0; c < nSeized; c++) {
        const collateral = seized.asset[c]!;
        const byDebt = at(byCollateral, collateral, () => new Map());
        for (let d = 0; d < nRepaid; d++) {
          const debt = repaid.asset[d]!;
          const g = at(byDebt, debt, () => {
            const created: Group = {
              round,
              protocol,
              collateral,
              debt,
              liquidations: 0,
              seizedUsd: 0,
              repaidUsd: 0,
              badDebtUsd: 0,
              crossProtocol: 0,
            };
            met.push(created);
            return created;
          });
          const share = seized.share[c]! * repaid.share[d]!;
          g.liquidations += 1;
          g.seizedUsd += seizedUsd * share;
          g.repaidUsd += repaidUsd * share;
          g.badDebtUsd += badDebtUsd * share;
          g.crossProtocol += crossProtocol ? 1 : 0;
        }
      }
    },
    flows(assetIds, protocolNames) {
      const flows: CascadeFlow[] = met.map((g) => ({
        round: g.round,
        protocol: protocolNames[g.protocol]!,
        collateral: assetIds[g.collateral]!,
        debt: assetIds[g.debt]!,
        liquidations: g.liquidations,
        seizedUsd: g.seizedUsd,
        repaidUsd: g.repaidUsd,
        badDebtUsd: g.badDebtUsd,
        crossProtocol: g.crossProtocol,
      }));
      return flows.sort(
        (a, b) =>
          a.round - b.round ||
          a.protocol.localeCompare(b.protocol) ||
          a.collateral.localeCompare(b.collateral) ||
          a.debt.localeCompare(b.debt),
      );
    },
  };
}
