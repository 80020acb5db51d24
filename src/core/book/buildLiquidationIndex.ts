/**
 * Builds the `LiquidationIndex`: positions with debt grouped by the oracle sets they are judged
 * by and sorted by health at the book's oracle reports, so a round only judges those a move of
 * the reports could have tipped.
 */
import type { BookPositions, LiquidationIndex } from "./book.js";

/** Beyond this many positions the index sorts by exact health with a comparator. */
export const INDEX_LIMIT = 2 ** 21;
/** Health is kept to 1/4096, rounded down (a lower bound is all the index needs), below 2^20. */
export const HEALTH_STEPS = 4096;
/** The largest step count: steps are sorted as unsigned 32-bit keys. */
const MAX_STEPS = 2 ** 32 - 1;

/** A position's health rounded down to whole 1/4096 steps (at most `MAX_STEPS`). */
export function healthSteps(health: number): number {
  return Math.min(Math.floor(health * HEALTH_STEPS), MAX_STEPS);
}

/** The health the index records for `steps` (exact: a multiple of 1/4096). */
export function healthOfSteps(steps: number): number {
  return steps / HEALTH_STEPS;
}

/** Bits per radix digit: three passes cover 32-bit step counts. */
const DIGIT_BITS = 11;
const DIGIT_MASK = (1 << DIGIT_BITS) - 1;

/**
 * The items `values` in ascending order of `keys` (unsigned 32-bit), ties in their given order:
 * a least-significant-digit radix sort, skipping digits every key shares.
 */
function sortByKey(keys: Uint32Array, values: Int32Array): Int32Array<ArrayBufferLike> {
  const n = keys.length;
  let k0: Uint32Array<ArrayBufferLike> = keys;
  let v0: Int32Array<ArrayBufferLike> = values;
  let k1: Uint32Array<ArrayBufferLike> = new Uint32Array(n);
  let v1: Int32Array<ArrayBufferLike> = new Int32Array(n);
  const count = new Int32Array(DIGIT_MASK + 2);
  for (let shift = 0; shift < 32; shift += DIGIT_BITS) {
    count.fill(0);
    for (let k = 0; k < n; k++) count[((k0[k]! >>> shift) & DIGIT_MASK) + 1]!++;
    if (count.includes(n)) continue; // every key has this digit
    for (let d = 1; d < count.length; d++) count[d]! += count[d - 1]!;
    for (let k = 0; k < n; k++) {
      const at = count[(k0[k]! >>> shift) & DIGIT_MASK]!++;
      k1[at] = k0[k]!;
      v1[at] = v0[k]!;
    }
    [k0, k1] = [k1, k0];
    [v0, v1] = [v1, v0];
  }
  return v0;
}

/**
 * Writes each group's members (`member[i]`: group of position `i`, -1 for none) into `indexed`
 * from `groupStart[g]`, by health ascending, ties by index, with each member's health rounded
 * down to 1/4096 in `healthOut`; beyond 2^21 positions, by exact health (kept exact).
 */
function sortGroupsByHealth(
  member: Int32Array,
  health: Float64Array,
  groupStart: Int32Array,
  indexed: Int32Array,
  healthOut: Float64Array,
): void {
  const fill = groupStart.slice(0, groupStart.length - 1);
  if (member.length > INDEX_LIMIT) {
    for (let i = 0; i < member.length; i++) if (member[i]! >= 0) indexed[fill[member[i]!]!++] = i;
    for (let g = 0; g + 1 < groupStart.length; g++) {
      const members = indexed.subarray(groupStart[g]!, groupStart[g + 1]!);
      members.set(Array.from(members).sort((a, b) => health[a]! - health[b]! || a - b));
      for (let k = groupStart[g]!; k < groupStart[g + 1]!; k++) healthOut[k] = health[indexed[k]!]!;
    }
    return;
  }
  // Members in index order sorted by steps (stable), then placed group by group in that order.
  const steps = new Uint32Array(indexed.length);
  const positions = new Int32Array(indexed.length);
  for (let i = 0, k = 0; i < member.length; i++) {
    if (member[i]! < 0) continue;
    steps[k] = healthSteps(health[i]!);
    positions[k++] = i;
  }
  const sorted = sortByKey(steps, positions);
  for (let k = 0; k < sorted.length; k++) {
    const i = sorted[k]!;
    const at = fill[member[i]!]!++;
    indexed[at] = i;
    healthOut[at] = healthOfSteps(healthSteps(health[i]!));
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
  const indexed = new Int32Array(groupStart[groupCount]!);
  const healthFactor0 = new Float64Array(indexed.length);
  sortGroupsByHealth(member, health, groupStart, indexed, healthFactor0);
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
