/**
 * Builds the `LiquidationIndex`: one-collateral/one-debt positions sorted by liquidation ratio
 * per asset pair, so a round only judges those near or past the pair's current price ratio.
 */
import type { BookPositions, LiquidationIndex } from "./book.js";

export function buildLiquidationIndex(positions: BookPositions, assetCount: number): LiquidationIndex {
  const { collStart, debtStart, collAsset, debtAsset, collAmount, debtAmount, collThreshold } = positions;
  const groups = new Map<number, number[]>();
  const ratioOf = new Float64Array(positions.count);
  const other: number[] = [];
  for (let i = 0; i < positions.count; i++) {
    const c0 = collStart[i]!;
    const d0 = debtStart[i]!;
    const nColl = collStart[i + 1]! - c0;
    const nDebt = debtStart[i + 1]! - d0;
    let debtTotal = 0;
    for (let k = d0; k < d0 + nDebt; k++) debtTotal += debtAmount[k]!;
    // Debt only ever goes down, so a position without debt can never be liquidated.
    if (!(debtTotal > 0)) continue;
    if (nColl !== 1 || nDebt !== 1) {
      other.push(i);
      continue;
    }
    // Liquidatable iff c p_c th < d p_d, i.e. p_c / p_d < d / (c th); c = 0 gives +Infinity.
    ratioOf[i] = debtAmount[d0]! / (collAmount[c0]! * collThreshold[c0]!);
    const key = collAsset[c0]! * assetCount + debtAsset[d0]!;
    let group = groups.get(key);
    if (group === undefined) {
      group = [];
      groups.set(key, group);
    }
    group.push(i);
  }
  const keys = [...groups.keys()].sort((a, b) => a - b);
  const groupCount = keys.length;
  const groupCollAsset = new Int32Array(groupCount);
  const groupDebtAsset = new Int32Array(groupCount);
  const groupStart = new Int32Array(groupCount + 1);
  let total = 0;
  for (const key of keys) total += groups.get(key)!.length;
  const indexed = new Int32Array(total);
  const ratio = new Float64Array(total);
  let at = 0;
  for (const [g, key] of keys.entries()) {
    const members = groups.get(key)!;
    members.sort((a, b) => {
      const ra = ratioOf[a]!;
      const rb = ratioOf[b]!;
      return ra > rb ? -1 : ra < rb ? 1 : a - b;
    });
    groupCollAsset[g] = Math.floor(key / assetCount);
    groupDebtAsset[g] = key % assetCount;
    groupStart[g] = at;
    for (const i of members) {
      indexed[at] = i;
      ratio[at] = ratioOf[i]!;
      at++;
    }
  }
  groupStart[groupCount] = at;
  return {
    groupCollAsset,
    groupDebtAsset,
    groupStart,
    positions: indexed,
    ratio,
    otherPositions: Int32Array.from(other),
  };
}
