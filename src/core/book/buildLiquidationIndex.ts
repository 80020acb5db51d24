/**
 * Builds the `LiquidationIndex`: positions with debt grouped by the oracle sets they are judged
 * by and sorted by health at the book's oracle reports, so a round only judges those a move of
 * the reports could have tipped.
 */
import type { BookPositions, LiquidationIndex } from "./book.js";

/** Beyond this many positions the index sorts with a comparator (a packed key would not be exact). */
export const INDEX_LIMIT = 2 ** 21;
/** Health is kept to 1/4096, rounded down (a lower bound is all the index needs), below 2^20. */
export const HEALTH_STEPS = 4096;
/** The largest step count whose packed key `steps × 2^21 + index` is still an exact float64. */
const MAX_STEPS = 2 ** 32 - 1;

/** A position's health rounded down to whole 1/4096 steps (at most `MAX_STEPS`). */
export function healthSteps(health: number): number {
  return Math.min(Math.floor(health * HEALTH_STEPS), MAX_STEPS);
}

/** The health the index records for `steps` (exact: a multiple of 1/4096). */
export function healthOfSteps(steps: number): number {
  return steps / HEALTH_STEPS;
}

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
    keys[k] = healthSteps(health[i]!) * INDEX_LIMIT + i;
  }
  keys.sort();
  for (let k = 0; k < n; k++) {
    const key = keys[k]!;
    const i = key % INDEX_LIMIT;
    members[k] = i;
    healthOut[k] = healthOfSteps((key - i) / INDEX_LIMIT);
  }
}

/**
 * Weighted collateral over debt of position `i` at the reports `reportUsd` (per oracle index);
 * NaN for a position without debt, which the index leaves out.
 */
export function positionHealth(positions: BookPositions, i: number, reportUsd: Float64Array): number {
  const { collStart, debtStart, collOracle, debtOracle, collAmount, debtAmount, collThreshold } = positions;
  let debtUsd = 0;
  let debtTotal = 0;
  for (let k = debtStart[i]!; k < debtStart[i + 1]!; k++) {
    debtTotal += debtAmount[k]!;
    debtUsd += debtAmount[k]! * reportUsd[debtOracle[k]!]!;
  }
  if (!(debtTotal > 0)) return Number.NaN;
  let weightedUsd = 0;
  for (let k = collStart[i]!; k < collStart[i + 1]!; k++)
    weightedUsd += collAmount[k]! * reportUsd[collOracle[k]!]! * collThreshold[k]!;
  return weightedUsd / debtUsd;
}

/** A pair of oracle bitmasks is an exact number key up to 26 oracles; beyond, a string. */
export function usesNumericKeys(oracleCount: number): boolean {
  return oracleCount <= 26;
}

/** The key of position `i`'s group: its (collateral oracles, debt oracles). */
export function groupKey(positions: BookPositions, i: number, numericKeys: boolean): string | number {
  const { collStart, debtStart, collOracle, debtOracle } = positions;
  const c0 = collStart[i]!;
  const c1 = collStart[i + 1]!;
  const d0 = debtStart[i]!;
  const d1 = debtStart[i + 1]!;
  if (numericKeys) {
    let collMask = 0;
    let debtMask = 0;
    for (let k = c0; k < c1; k++) collMask |= 1 << collOracle[k]!;
    for (let k = d0; k < d1; k++) debtMask |= 1 << debtOracle[k]!;
    return collMask * 2 ** 26 + debtMask;
  }
  let key = "";
  for (let k = c0; k < c1; k++) key += `${collOracle[k]},`;
  key += "|";
  for (let k = d0; k < d1; k++) key += `${debtOracle[k]},`;
  return key;
}

/** `reportUsd`: per oracle index, the report the health is judged at. */
export function buildLiquidationIndex(
  positions: BookPositions,
  reportUsd: Float64Array,
  oracleCount: number,
): LiquidationIndex {
  const { collStart, debtStart, collOracle, debtOracle } = positions;
  const groupOf = new Map<string | number, number>();
  const numericKeys = usesNumericKeys(oracleCount);
  const groupSets: Array<[number[], number[]]> = [];
  const member = new Int32Array(positions.count).fill(-1);
  const health = new Float64Array(positions.count);
  const groupSize: number[] = [];
  for (let i = 0; i < positions.count; i++) {
    const h = positionHealth(positions, i, reportUsd);
    // Debt only ever goes down, so a position without debt can never be liquidated.
    if (Number.isNaN(h)) continue;
    const key = groupKey(positions, i, numericKeys);
    const c0 = collStart[i]!;
    const c1 = collStart[i + 1]!;
    const d0 = debtStart[i]!;
    const d1 = debtStart[i + 1]!;
    let g = groupOf.get(key);
    if (g === undefined) {
      g = groupSets.length;
      groupOf.set(key, g);
      groupSets.push([Array.from(collOracle.subarray(c0, c1)), Array.from(debtOracle.subarray(d0, d1))]);
      groupSize.push(0);
    }
    groupSize[g]!++;
    member[i] = g;
    health[i] = h;
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
