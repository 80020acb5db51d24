/**
 * Builds the `LiquidationIndex`: positions with debt grouped by held-asset sets and sorted by
 * health at the book's prices, so a round only judges those a price move could have tipped.
 */
import type { BookPositions, LiquidationIndex } from "./book.js";

export function buildLiquidationIndex(positions: BookPositions, priceUsd: Float64Array): LiquidationIndex {
  const { collStart, debtStart, collAsset, debtAsset, collAmount, debtAmount, collThreshold } = positions;
  const groupOf = new Map<string, number>();
  const groupKeys: string[] = [];
  const member = new Int32Array(positions.count).fill(-1);
  const health = new Float64Array(positions.count);
  const groupSize: number[] = [];
  for (let i = 0; i < positions.count; i++) {
    const c0 = collStart[i]!;
    const c1 = collStart[i + 1]!;
    const d0 = debtStart[i]!;
    const d1 = debtStart[i + 1]!;
    let debtUsd = 0;
    let debtTotal = 0;
    for (let k = d0; k < d1; k++) {
      debtTotal += debtAmount[k]!;
      debtUsd += debtAmount[k]! * priceUsd[debtAsset[k]!]!;
    }
    // Debt only ever goes down, so a position without debt can never be liquidated.
    if (!(debtTotal > 0)) continue;
    let weightedUsd = 0;
    let key = "";
    for (let k = c0; k < c1; k++) {
      weightedUsd += collAmount[k]! * priceUsd[collAsset[k]!]! * collThreshold[k]!;
      key += `${collAsset[k]},`;
    }
    key += "|";
    for (let k = d0; k < d1; k++) key += `${debtAsset[k]},`;
    let g = groupOf.get(key);
    if (g === undefined) {
      g = groupKeys.length;
      groupOf.set(key, g);
      groupKeys.push(key);
      groupSize.push(0);
    }
    groupSize[g]!++;
    member[i] = g;
    health[i] = weightedUsd / debtUsd;
  }
  const groupCount = groupKeys.length;
  const groupStart = new Int32Array(groupCount + 1);
  for (let g = 0; g < groupCount; g++) groupStart[g + 1] = groupStart[g]! + groupSize[g]!;
  const fill = groupStart.slice(0, groupCount);
  const indexed = new Int32Array(groupStart[groupCount]!);
  for (let i = 0; i < positions.count; i++) {
    const g = member[i]!;
    if (g >= 0) indexed[fill[g]!++] = i;
  }
  const healthFactor0 = new Float64Array(indexed.length);
  for (let g = 0; g < groupCount; g++) {
    const members = indexed.subarray(groupStart[g]!, groupStart[g + 1]!);
    // Ascending health; NaN (0/0 cannot happen: debt > 0 here) would sort last.
    const sorted = Array.from(members).sort((a, b) => health[a]! - health[b]! || a - b);
    members.set(sorted);
  }
  for (let k = 0; k < indexed.length; k++) healthFactor0[k] = health[indexed[k]!]!;
  const groupCollStart = new Int32Array(groupCount + 1);
  const groupDebtStart = new Int32Array(groupCount + 1);
  const coll: number[] = [];
  const debt: number[] = [];
  for (const [g, key] of groupKeys.entries()) {
    const [c = "", d = ""] = key.split("|");
    for (const a of c.split(",")) if (a !== "") coll.push(Number(a));
    for (const a of d.split(",")) if (a !== "") debt.push(Number(a));
    groupCollStart[g + 1] = coll.length;
    groupDebtStart[g + 1] = debt.length;
  }
  return {
    groupCollStart,
    groupCollAsset: Int32Array.from(coll),
    groupDebtStart,
    groupDebtAsset: Int32Array.from(debt),
    groupStart,
    positions: indexed,
    healthFactor0,
    groupOf: member,
  };
}
