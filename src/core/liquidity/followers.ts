/**
 * `follows` relations: topological order and the multiplier a follower takes from its leader.
 */
import { SnapshotError } from "../errors.js";

/** A follower's price factor for a leader whose price went `ratio` = new / old: `max(0, 1 + beta (r - 1))`. */
export function followerFactor(beta: number, leaderRatio: number): number {
  return Math.max(0, 1 + beta * (leaderRatio - 1));
}

/**
 * Assets that have a leader (`leader[i] >= 0`), leaders before followers; among assets whose
 * leaders are all placed, the smaller index first. Throws on a cycle.
 */
export function followerOrder(leader: Int32Array): Int32Array {
  const n = leader.length;
  const depth = new Int32Array(n).fill(-1);
  const depthOf = (i: number): number => {
    const known = depth[i]!;
    if (known >= 0) return known;
    // Iterative walk up the chain; the snapshot refuses cycles, so the bound is a guard.
    let d = 0;
    let j = leader[i]!;
    while (j >= 0) {
      d++;
      if (d > n) throw new SnapshotError("assets", "follows has a cycle");
      j = leader[j]!;
    }
    depth[i] = d;
    return d;
  };
  const followers: number[] = [];
  for (let i = 0; i < n; i++) if (leader[i]! >= 0) followers.push(i);
  // Sorting by chain depth then index is a topological order (a leader is one level shallower).
  followers.sort((a, b) => depthOf(a) - depthOf(b) || a - b);
  return Int32Array.from(followers);
}
