/**
 * Builds the `LiquidationIndex`: positions with debt grouped by the oracle sets they are judged
 * by and sorted by health at the book's oracle reports, so a round only judges those a move of
 * the reports could have tipped.
 */
import type { BookPositions, LiquidationIndex } from "./book.js";

const INDEX_LIMIT = 2 ** 21;
/** Health is kept to 1/4096, rounded down (a lower bound is all the index needs), capped at 2^20. */
const HEALTH_STEPS = 4096;
const HEALTH_CAP = 2 ** 20;

/**
 * Sorts `members` by health, ascending, and writes each member's health (rounded down to
 * 1/4096) into `healthOut`. Packs quantized health and index into one exact float64 so the
 * sort is native; falls back to a comparator beyond 2^21 positions.
 */
function sortByHealth(members: Int32Array, health: Float64Array, healthOut: Float64Array): void {
  const n = members.length;
  const packable = health.length <= INDEX_LIMIT;
  if (!packable) {
    members.set(Array.from(members).sort((a, b) => health[a]! - health[b]! || a - b));
    for (let k = 0; k < n; k++) healthOut[k] = health[members[k]!]!;
    return;
  }
  const keys = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = members[k]!;
    const steps = Math.floor(Math.min(health[i]!, HEALTH_CAP) * HEALTH_STEPS);
    keys[k] = steps * INDEX_LIMIT + i;
  }
  keys.sort();
  for (let k = 0; k < n; k++) {
    const key = keys[k]!;
    const i = key % INDEX_LIMIT;
    members[k] = i;
    healthOut[k] = (key - i) / INDEX_LIMIT / HEALTH_STEPS;
  }
}

/** `reportUsd`: per oracle index, the report the health is judged at. */
export function buildLiquidationIndex(
  positions: BookPositions,
  reportUsd: Float64Array,
  oracleCount: number,
): LiquidationIndex {
  const { collStart, debtStart, collOracle, debtOracle, collAmount, debtAmount, collThreshold } = positions;
  const groupOf = new Map<string | number, number>();
  // A pair of oracle bitmasks is an exact number key up to 26 oracles; beyond, a string.
  const numericKeys = oracleCount <= 26;
  const groupSets: Array<[number[], number[]]> = [];
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
      debtUsd += debtAmount[k]! * reportUsd[debtOracle[k]!]!;
    }
    // Debt only ever goes down, so a position without debt can never be liquidated.
    if (!(debtTotal > 0)) continue;
    let weightedUsd = 0;
    for (let k = c0; k < c1; k++)
      weightedUsd += collAmount[k]! * reportUsd[collOracle[k]!]! * collThreshold[k]!;
    let key: string | number;
    if (numericKeys) {
      let collMask = 0;
      let debtMask = 0;
      for (let k = c0; k < c1; k++) collMask |= 1 << collOracle[k]!;
      for (let k = d0; k < d1; k++) debtMask |= 1 << debtOracle[k]!;
      key = collMask * 2 ** 26 + debtMask;
    } else {
      key = "";
      for (let k = c0; k < c1; k++) key += `${collOracle[k]},`;
      key += "|";
      for (let k = d0; k < d1; k++) key += `${debtOracle[k]},`;
    }
    let g = groupOf.get(key);
    if (g === undefined) {
      g = groupSets.length;
      groupOf.set(key, g);
      groupSets.push([Array.from(collOracle.subarray(c0, c1)), Array.from(debtOracle.subarray(d0, d1))]);
      groupSize.push(0);
    }
    groupSize[g]!++;
    member[i] = g;
    health[i] = weightedUsd / debtUsd;
  }
  const groupCount = groupSets.length;
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
    sortByHealth(
      indexed.subarray(groupStart[g]!, groupStart[g + 1]!),
      health,
      healthFactor0.subarray(groupStart[g]!),
    );
  }
  const groupCollStart = new Int32Array(groupCount + 1);
  const groupDebtStart = new Int32Array(groupCount + 1);
  const coll: number[] = [];
  const debt: number[] = [];
  for (const [g, [c, d]] of groupSets.entries()) {
    coll.push(...c);
    debt.push(...d);
    groupCollStart[g + 1] = coll.length;
    groupDebtStart[g + 1] = debt.length;
  }
  return {
    groupCollStart,
    groupCollOracle: Int32Array.from(coll),
    groupDebtStart,
    groupDebtOracle: Int32Array.from(debt),
    groupStart,
    positions: indexed,
    healthFactor0,
    groupOf: member,
  };
}
