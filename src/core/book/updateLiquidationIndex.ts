/**
 * Brings a `LiquidationIndex` up to date after `updatePositions`, at unchanged oracle reports:
 * kept positions keep their health and their order within their group (their indices only
 * shift, in order), recompiled and inserted ones are placed by health, groups are numbered by
 * their first member again. The result equals `buildLiquidationIndex` of the new positions.
 */
import type { BookPositions, LiquidationIndex } from "./book.js";
import {
  groupKey,
  HEALTH_STEPS,
  healthOfSteps,
  healthSteps,
  INDEX_LIMIT,
  positionHealth,
  usesNumericKeys,
} from "./buildLiquidationIndex.js";

/** Whether `updateLiquidationIndex` applies (else build the index again). */
export function canUpdateIndex(oldCount: number, newCount: number): boolean {
  // Beyond the limit the index orders by exact health, not the steps kept here.
  return oldCount <= INDEX_LIMIT && newCount <= INDEX_LIMIT;
}

/** Old positions are mapped to new indices in blocks of 2^10. */
const BLOCK_BITS = 10;

export function updateLiquidationIndex(
  old: LiquidationIndex,
  oldPositions: BookPositions,
  positions: BookPositions,
  oldToNew: Int32Array,
  compiled: Int32Array,
  reportUsd: Float64Array,
  oracleCount: number,
  storage: {
    readonly indexGroupOf: Int32Array;
    readonly indexMembers: Int32Array;
    readonly indexHealth: Float64Array;
  },
): LiquidationIndex {
  const numericKeys = usesNumericKeys(oracleCount);
  const oldGroupCount = old.groupStart.length - 1;
  const groupByKey = new Map<string | number, number>();
  for (let g = 0; g < oldGroupCount; g++) {
    groupByKey.set(groupKey(oldPositions, old.positions[old.groupStart[g]!]!, numericKeys), g);
  }
  // Group of each new position, in old numbering (new groups after the old ones).
  const groupOf = storage.indexGroupOf.subarray(0, positions.count).fill(-1);
  for (let b = 0; b < oldToNew.length; b++) {
    const j = oldToNew[b]!;
    if (j >= 0) groupOf[j] = old.groupOf[b]!;
  }
  // Blocks of old positions all kept and shifted alike map by one addition, not a random read.
  const blockCount = (oldToNew.length >> BLOCK_BITS) + 1;
  const blockShift = new Int32Array(blockCount);
  const blockKept = new Uint8Array(blockCount);
  for (let block = 0; block < blockCount; block++) {
    const b0 = block << BLOCK_BITS;
    const b1 = Math.min(b0 + (1 << BLOCK_BITS), oldToNew.length);
    if (b0 >= b1 || oldToNew[b0]! < 0) continue;
    const shift = oldToNew[b0]! - b0;
    let b = b0 + 1;
    while (b < b1 && oldToNew[b] === b + shift) b++;
    if (b === b1) {
      blockKept[block] = 1;
      blockShift[block] = shift;
    }
  }
  let groupCount = oldGroupCount;
  const changed: Array<{ j: number; steps: number }> = [];
  for (const j of compiled) {
    const health = positionHealth(positions, j, reportUsd);
    if (Number.isNaN(health)) continue;
    const key = groupKey(positions, j, numericKeys);
    let g = groupByKey.get(key);
    if (g === undefined) {
      g = groupCount++;
      groupByKey.set(key, g);
    }
    groupOf[j] = g;
    changed.push({ j, steps: healthSteps(health) });
  }
  // Renumber by first member, as a full build does; a group left empty disappears.
  const renumbered = new Int32Array(groupCount).fill(-1);
  const firstMember: number[] = [];
  const size: number[] = [];
  for (let j = 0; j < positions.count; j++) {
    const g = groupOf[j]!;
    if (g < 0) continue;
    let n = renumbered[g]!;
    if (n < 0) {
      n = firstMember.length;
      renumbered[g] = n;
      firstMember.push(j);
      size.push(0);
    }
    groupOf[j] = n;
    size[n]!++;
  }
  const newGroupCount = firstMember.length;
  const oldOf = new Int32Array(newGroupCount).fill(-1);
  for (let g = 0; g < oldGroupCount; g++) if (renumbered[g]! >= 0) oldOf[renumbered[g]!] = g;
  const groupStart = new Int32Array(newGroupCount + 1);
  for (let n = 0; n < newGroupCount; n++) groupStart[n + 1] = groupStart[n]! + size[n]!;
  // Changed members by group, then health steps, then index: the order within a group.
  changed.sort((x, y) => groupOf[x.j]! - groupOf[y.j]! || x.steps - y.steps || x.j - y.j);
  const members = storage.indexMembers.subarray(0, groupStart[newGroupCount]!);
  const healthFactor0 = storage.indexHealth.subarray(0, members.length);
  let c = 0;
  const oldMembers = old.positions;
  const oldHealth = old.healthFactor0;
  for (let n = 0; n < newGroupCount; n++) {
    let out = groupStart[n]!;
    const g = oldOf[n]!;
    let k = g < 0 ? 0 : old.groupStart[g]!;
    const kEnd = g < 0 ? 0 : old.groupStart[g + 1]!;
    for (;;) {
      // Next kept member of the old group (health unchanged, index shifted in order).
      let kept = -1;
      while (k < kEnd) {
        const b = oldMembers[k]!;
        const block = b >> BLOCK_BITS;
        kept = blockKept[block] === 1 ? b + blockShift[block]! : oldToNew[b]!;
        if (kept >= 0) break;
        k++;
      }
      if (k >= kEnd) kept = -1;
      const next = c < changed.length && groupOf[changed[c]!.j]! === n ? changed[c]! : undefined;
      if (kept < 0 && next === undefined) break;
      if (next === undefined) {
        // No changed member left in this group: the rest of the kept ones follow in order.
        for (; k < kEnd; k++) {
          const b = oldMembers[k]!;
          const block = b >> BLOCK_BITS;
          const j = blockKept[block] === 1 ? b + blockShift[block]! : oldToNew[b]!;
          if (j < 0) continue;
          members[out] = j;
          healthFactor0[out++] = oldHealth[k]!;
        }
        break;
      }
      const keptSteps = kept < 0 ? 0 : old.healthFactor0[k]! * HEALTH_STEPS;
      if (
        next === undefined ||
        (kept >= 0 && (keptSteps < next.steps || (keptSteps === next.steps && kept < next.j)))
      ) {
        members[out] = kept;
        healthFactor0[out++] = old.healthFactor0[k]!;
        k++;
      } else {
        members[out] = next.j;
        healthFactor0[out++] = healthOfSteps(next.steps);
        c++;
      }
    }
  }
  const groupCollStart = new Int32Array(newGroupCount + 1);
  const groupDebtStart = new Int32Array(newGroupCount + 1);
  const coll: number[] = [];
  const debt: number[] = [];
  for (let n = 0; n < newGroupCount; n++) {
    const j = firstMember[n]!;
    for (let e = positions.collStart[j]!; e < positions.collStart[j + 1]!; e++)
      coll.push(positions.collOracle[e]!);
    for (let e = positions.debtStart[j]!; e < positions.debtStart[j + 1]!; e++)
      debt.push(positions.debtOracle[e]!);
    groupCollStart[n + 1] = coll.length;
    groupDebtStart[n + 1] = debt.length;
  }
  return {
    groupCollStart,
    groupCollOracle: Int32Array.from(coll),
    groupDebtStart,
    groupDebtOracle: Int32Array.from(debt),
    groupStart,
    positions: members,
    healthFactor0,
    groupOf,
  };
}
